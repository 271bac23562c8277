// The functions a struct layout change reaches: a member added or removed in the middle of a
// struct the file defines moves every member declared after it, so every function that
// accesses one of those (`->member`, `.member`) compiles to other offsets, and kpatch-build and
// klp-build find it changed (struct-layout-change says why such a patch is unsafe anyway).
import type { Memo } from '../common/memo';
import type { Location } from '../common/range';
import type { CallGraph } from '../syntax/callGraph';
import type { DiffFile, ParsedHunk } from '../syntax/diffTypes';
import { lineLocation } from '../syntax/hunkLines';
import { structMemberChanges } from '../syntax/structMembers';

export interface LayoutAccessor {
  /** The struct whose layout changed (`struct smi_info`). */
  name: string;
  /** A function (or macro) of the file that accesses a moved member. */
  accessor: string;
  /** The first changed member line of the struct. */
  location: Location;
}

export function layoutAccessors(memo: Memo, file: DiffFile, patchFile: string, graph: CallGraph | undefined): LayoutAccessor[] {
  if (!graph) return [];
  const firstMoved = new Map<string, { line: number; location: Location }>();
  for (const hunk of file.hunks) {
    for (const change of structMemberChanges(memo, hunk)) {
      const tag = /^struct (\w+)$/.exec(change.struct)?.[1];
      const line = change.line.oldLine ?? nextOldLine(hunk, change.line.patchLine);
      if (!tag || line === undefined) continue;
      const known = firstMoved.get(tag);
      if (!known || line < known.line) firstMoved.set(tag, { line, location: lineLocation(patchFile, change.line, change.token) });
    }
  }
  const out: LayoutAccessor[] = [];
  for (const [tag, { line, location }] of firstMoved) {
    const moved = new Set(graph.membersOf(tag).filter((m) => m.line >= line).map((m) => m.name));
    const accessors = new Set([...moved].flatMap((m) => graph.accessorsOf(m)));
    for (const accessor of accessors) out.push({ name: `struct ${tag}`, accessor, location });
  }
  return out;
}

/** The original file's line of the first context or removed line after patch line `patchLine`: where an added line goes. */
function nextOldLine(hunk: ParsedHunk, patchLine: number): number | undefined {
  return hunk.lines.find((l) => l.patchLine > patchLine && l.oldLine !== undefined)?.oldLine;
}
