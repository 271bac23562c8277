// Hover on a patched function wherever it appears (a klp_func entry or its old_name, a csv
// row, a hunk's function, its definition in a kernel source file): its patch stack after
// the series, newest first, with where each patch changes it; on a symbol a livepatch uses:
// who exports it and the klp symbol it becomes; on a hunk's @@ line, what the build patches for it.
import * as path from 'node:path';
import type { Hover } from 'vscode-languageserver-protocol';
import type { Position, Range } from '../../common/range';
import { anchorOf } from '../../model/livepatch';
import type { AnalysisView } from '../view';
import { patchedFunctionsIn } from './kernelSource';
import { code, lineLink } from './links';
import { patchStackOf, patchStacks, roleReason, roleText, type PatchStack, type StackEntry } from '../../analysis/roles';
import { hunkSection } from './hunkHover';
import { functionsAt, symbolAt } from './livepatchTargets';
import { contains } from './ranges';
import { findDefinition } from './sourceDefinition';
import { symbolMarkdown } from './symbolHover';

export function hover(view: AnalysisView, file: string, position: Position): Hover | null {
  // A symbol first: in a diff, the symbols the new code uses lie inside a patched function.
  const symbol = symbolAt(view.analysis, file, position);
  if (symbol) {
    const at = symbol.kind === 'reference' ? symbol.reference.location : symbol.symbol.location;
    return markdown([symbolMarkdown(view, symbol)], at.range);
  }
  // On a hunk's @@ line, what the build patches for the hunk comes first.
  const hunk = hunkSection(view, file, position);
  const targets = functionsAt(view.analysis, file, position);
  if (targets.length > 0) {
    const shown = targets.flatMap((t) => patchStackOf(view.analysis, t.func) ?? []);
    return markdown([...(hunk ? [hunk] : []), ...shown.map((s) => stackMarkdown(view, s))], targets[0].range);
  }
  if (hunk) return markdown([hunk], { start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } });
  const defined = patchedFunctionsIn(view, file, patchStacks(view.analysis)).find((k) => k.head.start.line <= position.line && position.line <= k.head.end.line);
  if (!defined) return null;
  return markdown(defined.stacks.map((s) => stackMarkdown(view, s)), contains(defined.nameRange, position) ? defined.nameRange : defined.head);
}

function markdown(sections: string[], range: Range | undefined): Hover | null {
  if (sections.length === 0) return null;
  return { contents: { kind: 'markdown', value: sections.join('\n\n---\n\n') }, ...(range && { range }) };
}

/**
 * ```
 * **vmlinux:cmdline_proc_show,1**: `proc_fix` runs
 *
 * After the series, newest first:
 * - `proc_fix`: active · [proc-fix.patch:10](file:///…/proc-fix.patch#L10)
 * - `lpa`: shadowed by proc_fix · [lpa.c:16](file:///…/lpa.c#L16)
 *
 * Object `vmlinux` · sympos 1 · source [fs/proc/cmdline.c:7](file:///…/fs/proc/cmdline.c#L7)
 * ```
 */
export function stackMarkdown(view: AnalysisView, s: PatchStack): string {
  const runs = s.active ? `${code(s.active)} runs` : 'the original code runs';
  const lines = [`**${s.object}:${s.name},${s.sympos}**: ${runs}`, '', 'After the series, newest first:'];
  if (s.droppedBy) {
    const { livepatch } = s.droppedBy;
    lines.push(
      `- ${code(livepatch.name)}: replace patch without it: the original code runs ` +
        `(its nop left with the transition) · ${lineLink(view, livepatch.location)}`,
    );
  }
  for (const entry of s.entries) lines.push(`- ${code(entry.outcome.livepatch.name)}: ${entryText(entry, s)} · ${lineLink(view, anchorOf(entry.func))}`);
  lines.push('', facts(view, s));
  return lines.join('\n');
}

function entryText(entry: StackEntry, s: PatchStack): string {
  const reason = roleReason(entry);
  return reason ? `${roleText(entry, s)}: ${reason}` : roleText(entry, s);
}

/** Object, sympos (and how many symbols of that name the object has, when more than one, and the source file of the one it names), source file. */
function facts(view: AnalysisView, s: PatchStack): string {
  const entries = view.kernel.objects.get(s.object)?.byName.get(s.name) ?? [];
  const count = entries.length;
  const file = entries[s.sympos - 1]?.sourceFile;
  const sympos = count > 1 ? `sympos ${s.sympos} (${s.object} has ${count} symbols of this name${file ? `; this one is ${file}'s` : ''})` : `sympos ${s.sympos}`;
  const out = [`Object ${code(s.object)}`, sympos];
  const found = findDefinition(view, s);
  if (found) {
    const relative = path.relative(view.kernel.sourceDir ?? '', found.file);
    out.push(`source ${lineLink(view, { file: found.file, range: found.nameRange }, `${relative}:${found.nameRange.start.line + 1}`)}`);
  } else if (s.sourceFile) {
    out.push(`source ${code(s.sourceFile)}`);
  }
  return out.join(' · ');
}
