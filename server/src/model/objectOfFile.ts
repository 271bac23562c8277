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
import { C_KEYWORDS, lexLine, newLexState, type CToken } from '../syntax/cLine';
import type { DiffFile } from '../syntax/diffTypes';
import { sideLines } from '../syntax/hunkLines';
import { lineDefinitions } from '../syntax/lineDefinitions';
import type { LivepatchDiffFile } from './livepatch';

const EXPORT_MACRO = /^EXPORT_SYMBOL(_GPL|_NS|_NS_GPL|_GPL_FUTURE)?$/;

/**
 * The object `path` (inside the tree) is built into. With a source tree and a .config, kbuild
 * decides, or says why it cannot (a file no list names may still be built into nothing: the
 * artifacts would find the functions of irq_64.c in vmlinux for irq_32.c). Otherwise the
 * artifacts, from what `defined()` says the file defines; otherwise kbuild's reason beside the
 * artifacts'.
 */
export function objectOf(memo: Memo, kernel: KernelContext, path: string, defined: () => DefinedNames): ObjectResolution {
  const kbuild = kbuildObject(path, kernel);
  if (kbuild && (kernel.config || kbuild.object !== 'unknown' || kbuild.notBuilt)) return builtinAsVmlinux(kbuild, kernel);
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
  const symbols = new Map<string, boolean>();
  const exports = new Set<string>();
  for (const hunk of file.hunks) {
    for (const fn of hunk.functions) if (!fn.isNew) symbols.set(fn.name, fn.specifiers.includes('static'));
    exportsIn(lexLine(hunk.context), exports);
    for (const { tokens } of sideLines(memo, hunk, 'old')) exportsIn(tokens, exports);
  }
  return definedNames(symbols, exports);
}

/** Each symbol's name and whether it is static. */
function definedNames(symbols: ReadonlyMap<string, boolean>, exports: Iterable<string>): DefinedNames {
  return { symbols: [...symbols].map(([name, isStatic]) => ({ name, isStatic })), exports: [...new Set(exports)] };
}

/** What a whole source file (`file` names it: .S is assembly) defines. */
export function definedInFile(file: string, text: string): DefinedNames {
  return file.endsWith('.S') ? definedInAssembly(text) : definedInC(text);
}

// include/linux/linkage.h: the macros that start a symbol in assembly (SYM_FUNC_START(name), the older ENTRY(name)).
const ASSEMBLY_SYMBOL = /^\s*(SYM_(?:FUNC|TYPED_FUNC|CODE|INNER_LABEL|DATA)_?\w*|ENTRY|GLOBAL|WEAK)\(\s*([A-Za-z_.$][\w.$]*)/gm;
const ASSEMBLY_EXPORT = /^\s*EXPORT_SYMBOL\w*\(\s*([A-Za-z_]\w*)/gm;

function definedInAssembly(text: string): DefinedNames {
  const symbols = new Map<string, boolean>();
  for (const m of text.matchAll(ASSEMBLY_SYMBOL)) symbols.set(m[2], /LOCAL/.test(m[1]));
  return definedNames(symbols, [...text.matchAll(ASSEMBLY_EXPORT)].map((m) => m[1]));
}

/**
 * What a C source file defines, read the way kernel style writes it: its functions, the
 * variables it defines at file scope (a data-only file has symbols too), and its exports.
 */
function definedInC(text: string): DefinedNames {
  const lines = withoutDirectives(text.split('\n'));
  const symbols = new Map<string, boolean>();
  const { at } = lineDefinitions(lines);
  for (const def of at) if (def) symbols.set(def.name, def.specifiers.includes('static'));
  const exports = new Set<string>();
  const state = newLexState();
  lines.forEach((line, i) => {
    const tokens = lexLine(line, state);
    exportsIn(tokens, exports);
    const variable = at[i] || !/^[A-Za-z_]/.test(line) ? undefined : variableDefined(tokens);
    if (variable && !symbols.has(variable)) symbols.set(variable, tokens[0].text === 'static');
  });
  return definedNames(symbols, exports);
}

// Attributes written between a variable's name and its `=` (include/linux/compiler_types.h, cache.h, init.h).
const VARIABLE_ATTRIBUTE = /^__(\w*(init|exit)\w*|read_mostly|ro_after_init|cacheline_aligned\w*|percpu|user|iomem|rcu|maybe_unused|used|weak|visible|aligned|packed|section|attribute__|attribute)$/;
// Macros that define the variable named by their last argument: DEFINE_MUTEX(name), LIST_HEAD(name), DEFINE_PER_CPU(type, name).
const DEFINING_MACRO = /^(DEFINE_\w+|DECLARE_\w+|LIST_HEAD|HLIST_HEAD)$/;

/**
 * The variable a file-scope line at column 0 defines (`static const struct x name[] = {`,
 * `int name;`, `static DEFINE_MUTEX(name);`); undefined for declarations (`extern`, `typedef`,
 * prototypes, `struct x {`).
 */
function variableDefined(tokens: readonly CToken[]): string | undefined {
  if (tokens.length < 2 || tokens[0].text === 'extern' || tokens[0].text === 'typedef') return undefined;
  const macro = tokens.findIndex((t) => DEFINING_MACRO.test(t.text));
  if (macro >= 0 && tokens[macro + 1]?.text === '(') {
    const close = tokens.findIndex((t, i) => i > macro && t.text === ')');
    const last = tokens[close - 1];
    return close > 0 && last.kind === 'ident' ? last.text : undefined;
  }
  const end = tokens.findIndex((t) => t.text === '=' || t.text === '[' || t.text === ';' || t.text === '(');
  if (end < 2 || tokens[end].text === '(') return undefined;
  for (let i = end - 1; i >= 1; i--) {
    const t = tokens[i];
    if (t.kind !== 'ident' || VARIABLE_ATTRIBUTE.test(t.text)) continue;
    const forward = i === 1 && /^(struct|union|enum)$/.test(tokens[0].text);
    return forward || C_KEYWORDS.has(t.text) ? undefined : t.text;
  }
  return undefined;
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

/**
 * A warning on the header of each patched file whose object is unknown: its functions are patched
 * in no object the kernel has. With the session's memo, one per file object: an unchanged file of
 * an edited diff (the same object) keeps its warning, not a new one at every edit.
 */
export function unknownObjectProblems(files: readonly LivepatchDiffFile[], memo?: Memo): Problem[] {
  return files.filter((f) => f.object === 'unknown').map((f) => (memo ? memo.get(unknownObjectProblem, f) : unknownObjectProblem(f)));
}

function unknownObjectProblem(f: LivepatchDiffFile): Problem {
  const reason = f.objectReason ?? 'no reason known';
  const advice = /\bgive\b/i.test(reason) ? '' : "; give the kernel source tree (--source, klpLens.kernel.sourceDir), or the kernel's System.map and .ko files";
  const message = `klp-lens cannot tell which object ${f.path} is built into: ${reason}. Its functions are shown in an object named "unknown", patched nowhere${advice}`;
  return problem('unknown-build-object', 'warning', f.location, message);
}
