// The object a kernel source file is built into: kbuild's answer when the source tree is known
// and decides (kernel/kbuild.ts); else the kernel's artifacts, from the names the file defines
// (kernel/moduleSources.ts objectFromArtifacts): the part of it a patch's hunks show, or the
// whole file (`klp-lens object` without a source tree). Never a guess: `unknown`, with the
// reason, when nothing decides, and a diagnostic on the header of a patched file whose object
// is unknown.
import type { Memo } from '../common/memo';
import { problem, type Problem } from '../common/problem';
import { objectFromArtifacts, type DefinedNames } from '../kernel/moduleSources';
import type { KernelContext, ObjectResolution } from '../kernel/types';
import { lexLine, newLexState, type CToken } from '../syntax/cLine';
import type { DiffFile } from '../syntax/diffTypes';
import { sideLines } from '../syntax/hunkLines';
import { lineDefinitions } from '../syntax/lineDefinitions';
import type { LivepatchDiffFile } from './livepatch';

const EXPORT_MACRO = /^EXPORT_SYMBOL(_GPL|_NS|_NS_GPL|_GPL_FUTURE)?$/;

/**
 * The object `path` (inside the tree) is built into. kbuild decides when it names an object or
 * says the file is not built; otherwise the artifacts, from what `defined()` says the file
 * defines; otherwise kbuild's reason, or the artifacts'.
 */
export function objectOf(memo: Memo, kernel: KernelContext, path: string, defined: () => DefinedNames): ObjectResolution {
  const kbuild = kbuildObject(path, kernel);
  if (kbuild && (kbuild.object !== 'unknown' || kbuild.notBuilt)) return builtinAsVmlinux(kbuild, kernel);
  const artifacts = objectFromArtifacts(memo, kernel, path, defined());
  if (artifacts.object !== 'unknown' || !kbuild) return artifacts;
  return { ...kbuild, reason: `${kbuild.reason}; ${artifacts.reason}` };
}

function kbuildObject(path: string, kernel: KernelContext): ObjectResolution | undefined {
  try {
    return kernel.kbuild?.resolve(path);
  } catch {
    return undefined;
  }
}

/** A module listed in modules.builtin is part of vmlinux (a kbuild answer for another .config than the kernel's). */
function builtinAsVmlinux(r: ObjectResolution, kernel: KernelContext): ObjectResolution {
  if (r.object === 'vmlinux' || r.object === 'unknown' || !kernel.modules.get(r.object)?.builtin) return r;
  return { ...r, object: 'vmlinux', reason: `${r.reason}; ${r.object} is built into vmlinux (modules.builtin)` };
}

/**
 * What a patched file defines, as far as its hunks show: the functions of the original file
 * they are in, and the EXPORT_SYMBOL*() lines of the original file they show (in the hunks, or
 * as the function context after @@).
 */
export function definedInHunks(file: DiffFile, memo: Memo): DefinedNames {
  const functions = new Map<string, boolean>();
  const exports = new Set<string>();
  for (const hunk of file.hunks) {
    for (const fn of hunk.functions) if (!fn.isNew) functions.set(fn.name, fn.specifiers.includes('static'));
    exportsIn(lexLine(hunk.context), exports);
    for (const { tokens } of sideLines(memo, hunk, 'old')) exportsIn(tokens, exports);
  }
  return { functions: [...functions].map(([name, isStatic]) => ({ name, isStatic })), exports: [...exports] };
}

/** What a whole source file defines: its functions, read the way kernel style writes them, and its exports. */
export function definedInFile(text: string): DefinedNames {
  const lines = withoutDirectives(text.split('\n'));
  const functions = new Map<string, boolean>();
  for (const def of lineDefinitions(lines).at) if (def) functions.set(def.name, def.specifiers.includes('static'));
  const exports = new Set<string>();
  const state = newLexState();
  for (const line of lines) exportsIn(lexLine(line, state), exports);
  return { functions: [...functions].map(([name, isStatic]) => ({ name, isStatic })), exports: [...exports] };
}

/** The lines with each preprocessor directive blanked, with its continuation lines (a macro's body is no definition: net/sctp/primitive.c). */
function withoutDirectives(lines: readonly string[]): string[] {
  let continued = false;
  return lines.map((line) => {
    const directive = continued || /^\s*#/.test(line);
    continued = directive && line.endsWith('\\');
    return directive ? '' : line;
  });
}

function exportsIn(tokens: readonly CToken[], into: Set<string>): void {
  tokens.forEach((_, i) => {
    const exported = exportedAt(tokens, i);
    if (exported) into.add(exported.text);
  });
}

/** The symbol `EXPORT_SYMBOL*(name` at tokens[i] exports, if one starts there. */
export function exportedAt(tokens: readonly CToken[], i: number): CToken | undefined {
  const arg = tokens[i + 2];
  return EXPORT_MACRO.test(tokens[i].text) && tokens[i + 1]?.text === '(' && arg?.kind === 'ident' ? arg : undefined;
}

/** A warning on the header of each patched file whose object is unknown: its functions are patched in no object the kernel has. */
export function unknownObjectProblems(files: readonly LivepatchDiffFile[]): Problem[] {
  return files
    .filter((f) => f.object === 'unknown')
    .map((f) =>
      problem(
        'unknown-build-object',
        'warning',
        f.location,
        `klp-lens cannot tell which object ${f.path} is built into (${f.objectReason ?? 'no reason known'}): its functions are shown in an object named "unknown", patched nowhere. ` +
          'Give the kernel source tree (--source, klpLens.kernel.sourceDir) or the kernel\'s .ko files and System.map',
      ),
    );
}
