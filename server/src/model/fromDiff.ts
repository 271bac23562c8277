// A patch diff (with its hunks' functions found, syntax/hunkFunctions.ts) as the
// livepatch kpatch-build or klp-build would build from it: one klp_func per changed
// function that exists in the target (new functions are part of the livepatch module,
// not patched), grouped by the object each file is built into (the livepatch's diff
// carries each file's object: LivepatchDiff). With a FromDiffCache, what it read from a
// file whose text and functions are unchanged since the last reading of the patch (with
// the same kernel) is not read again (syntax/diffFileCache.ts).
import { Memo } from '../common/memo';
import { makeRange, type Location } from '../common/range';
import { clonesOf, patchedFunctionOf } from '../kernel/symbolClones';
import type { KernelContext, ObjectSymbols } from '../kernel/types';
import { DiffFileCache, fileContentKey, movedLocation, type FileKey } from '../syntax/diffFileCache';
import type { CallGraph } from '../syntax/callGraph';
import { isInitOrExit, syscallWrappers } from '../syntax/cDefinition';
import { sameCompiledCode } from '../syntax/sameCode';
import { lineShifts } from './lineShifts';
import { layoutAccessors } from './structLayout';
import type { AllFields, DiffFile, PatchDiff } from '../syntax/diffTypes';
import { lineLocation, sideLines } from '../syntax/hunkLines';
import { fileReferences, ownNamesOf, PatchReferences, type FileReferences } from './references/diffReferences';
import { definedInHunks, exportedAt, objectOf, unknownObjectProblems } from './objectOfFile';
import type { ExportDeclaration, Livepatch, LivepatchDiffFile, PatchedFunction, PatchObject, SymbolReference } from './livepatch';

export interface FromDiffOptions {
  name: string;
  /** kpatch-build and klp-build replace by default (off with -R / --no-replace); the caller decides. */
  replace: boolean;
  kernel: KernelContext;
  /** What the last reading of the same patch read from each of its files (the language server keeps one per patch). */
  cache?: FromDiffCache;
  /** The session's memo, for the hunks' tokenized lines (syntax/hunkLines.ts); without it, a memo of this reading's own. */
  memo?: Memo;
  /** The call graph of an original source file of the tree (path inside it), when the tree is known. */
  callGraphOf?: (path: string) => CallGraph | undefined;
  /** The .c files of a header's directory that `#include "header.h"` (paths inside the tree), when the tree is known. */
  includersOf?: (header: string) => readonly string[];
}

/** What the reading knows of the original source tree. */
type SourceTree = Pick<FromDiffOptions, 'callGraphOf' | 'includersOf'>;

/** The object a file is built into, and how that was found. */
type FileObject = Required<Pick<LivepatchDiffFile, 'object' | 'objectReason'>>;

/** What fromDiff adds to a diff's file. */
type FileFacts = FileObject & Pick<LivepatchDiffFile, 'lineShifts'>;

/** What livepatchFromDiff reads from one file of a patch. */
interface FileParts extends FileFacts, FileReferences {
  /** A klp_func per changed function that exists in the target, in patch order. */
  funcs: PatchedFunction[];
  /** The klp_object callbacks its added lines set, in order of appearance. */
  callbacks: string[];
  exports: ExportDeclaration[];
  references: SymbolReference[];
}

/** What one reading of a patch leaves the next: FileParts by file content, for one kernel, and the references made of them. */
export interface FromDiffCache {
  files: DiffFileCache<FileParts>;
  references: PatchReferences;
  /**
   * By diff file (an unchanged file is the same object from one reading to the next,
   * syntax/hunkFunctions.ts): its content key, and the file with its object made from its parts.
   */
  made: WeakMap<DiffFile, { key: FileKey; parts: FileParts; file: LivepatchDiffFile }>;
}

export function newFromDiffCache(): FromDiffCache {
  return { files: new DiffFileCache(), references: new PatchReferences(), made: new WeakMap() };
}

/** kpatch's callback macros (kmod/patch/kpatch-macros.h) and the klp_object callbacks they set (a Map: `constructor(` is no macro). */
const CALLBACK_MACROS = new Map([
  ['KPATCH_PRE_PATCH_CALLBACK', 'pre_patch'],
  ['KPATCH_POST_PATCH_CALLBACK', 'post_patch'],
  ['KPATCH_PRE_UNPATCH_CALLBACK', 'pre_unpatch'],
  ['KPATCH_POST_UNPATCH_CALLBACK', 'post_unpatch'],
  ['KLP_PRE_PATCH_CALLBACK', 'pre_patch'],
  ['KLP_POST_PATCH_CALLBACK', 'post_patch'],
  ['KLP_PRE_UNPATCH_CALLBACK', 'pre_unpatch'],
  ['KLP_POST_UNPATCH_CALLBACK', 'post_unpatch'],
]);

/**
 * Builds the livepatch of a diff whose hunks carry their functions; its diff is `diff` with
 * each file's object. The diff's own problems become the livepatch's.
 */
export function livepatchFromDiff(diff: PatchDiff, options: FromDiffOptions): Livepatch {
  const { kernel, cache } = options;
  const memo = options.memo ?? new Memo();
  const wholeFirstLine: Location = { file: diff.file, range: makeRange(0, 0, 1, 0) };
  // By name, in order of appearance (a Map: a patch of many files builds into many objects).
  const objects = new Map<string, PatchObject>();
  const objectOf = (file: DiffFile, name: string): PatchObject => {
    let obj = objects.get(name);
    if (!obj) {
      obj = { declaredName: name === 'vmlinux' ? null : name, object: name, location: file.location, funcs: [], hasFuncs: true, callbacks: [] };
      objects.set(name, obj);
    }
    return obj;
  };
  const exports: ExportDeclaration[] = [];
  /**
   * The functions taken, by object and source file (a patch may change a file in several places):
   * the first file's list (its names are distinct), a set once a second file of the path comes.
   * Maps of maps, not a key made of both: this runs for every file at every edit.
   */
  const seen = new Map<string, Map<string, Set<string> | readonly PatchedFunction[]>>();
  const parts: FileParts[] = [];
  const functionParts: Array<readonly PatchedFunction[]> = [];
  cache?.files.startReading(kernel);

  const read = (file: DiffFile) => fileParts(diff.file, file, kernel, memo, options);
  const files = diff.files.map((file): LivepatchDiffFile => {
    if (file.isBinary) {
      functionParts.push([]);
      return file;
    }
    const known = cache?.made.get(file);
    const key = known?.key ?? fileContentKey(diff.file, file);
    const found = cache ? cache.files.get(key, read, movedParts, file) : read(file);
    parts.push(found);
    functionParts.push(found.funcs);
    const { object } = found;
    let where = seen.get(object);
    if (!where) seen.set(object, (where = new Map()));
    const earlier = where.get(file.path);
    if (earlier === undefined) {
      where.set(file.path, found.funcs);
      const funcs = found.funcs.length > 0 ? objectOf(file, object).funcs : [];
      for (const func of found.funcs) funcs.push(func);
    } else {
      const taken = earlier instanceof Set ? earlier : new Set(earlier.map((f) => f.name));
      where.set(file.path, taken);
      for (const func of found.funcs) {
        if (taken.has(func.name)) continue;
        taken.add(func.name);
        objectOf(file, object).funcs.push(func);
      }
    }
    if (found.callbacks.length > 0) {
      const obj = objectOf(file, object);
      for (const callback of found.callbacks) if (!obj.callbacks.includes(callback)) obj.callbacks.push(callback);
    }
    for (const e of found.exports) exports.push(e);
    if (known?.parts === found) return known.file;
    const made = withObject(file, found);
    cache?.made.set(file, { key, parts: found, file: made });
    return made;
  });

  // A binary file has no hunks, and so no references.
  const referenceParts = (cache?.references ?? new PatchReferences()).of(parts);
  return {
    name: options.name,
    kind: 'diff',
    file: diff.file,
    replace: options.replace,
    replaceLocation: wholeFirstLine,
    location: diff.files[0]?.location ?? wholeFirstLine,
    objects: [...objects.values()].filter((o) => o.funcs.length > 0 || o.callbacks.length > 0),
    states: [],
    livepatchModinfo: undefined,
    exports,
    references: joined(referenceParts),
    referenceParts,
    functionParts,
    klpSymbols: [],
    diff: { ...diff, files },
    problems: [...diff.problems, ...unknownObjectProblems(files, memo)],
  };
}

function fileParts(patchFile: string, file: DiffFile, kernel: KernelContext, memo: Memo, { callGraphOf, includersOf }: SourceTree): FileParts {
  const callbacks: string[] = [];
  const exports: ExportDeclaration[] = [];
  for (const hunk of file.hunks) {
    for (const { line, tokens } of sideLines(memo, hunk, 'new')) {
      if (line.kind !== 'add') continue;
      tokens.forEach((t, i) => {
        const callback = CALLBACK_MACROS.get(t.text);
        if (callback && tokens[i + 1]?.text === '(' && !callbacks.includes(callback)) callbacks.push(callback);
        const exported = exportedAt(tokens, i);
        if (exported) exports.push({ name: exported.text, macro: t.text, location: lineLocation(patchFile, line, exported) });
      });
    }
  }
  const { object, objectReason } = resolveObject(file, kernel, memo, includersOf);
  const funcs = new Map<string, PatchedFunction>();
  const table = kernel.objects.get(object);
  const graph = callGraphOf && !file.isNew && /\.[ch]$/.test(file.path) ? lazy(() => callGraphOf(file.path)) : undefined;
  // The call graphs the file's functions are called in: its own, and for a header those of the .c files that include it.
  const graphs = lazy(() => [graph?.(), ...(file.path.endsWith('.h') ? (includersOf?.(file.path) ?? []).map((c) => callGraphOf?.(c)) : [])].filter((g) => g !== undefined));
  for (const hunk of file.hunks) {
    // A hunk that only writes an access as READ_ONCE() or the like changes no compiled code (sameCompiledCode).
    if (sameCompiledCode(memo, hunk, kernel.config)) continue;
    for (const fn of hunk.functions) {
      // Init and exit code is never patched: both build tools refuse a change to it (init-function).
      if (!fn.changed || fn.isNew || funcs.has(fn.name) || fn.specifiers.some(isInitOrExit)) continue;
      // kpatch-build and klp-build compute the position (sympos) themselves.
      for (const { name, inlined } of builtFunctions(memo, table, graphs, fn.name)) {
        if (funcs.has(name)) continue;
        const clone = name === fn.name || inlined ? {} : { sourceFunction: fn.name };
        const through = inlined ? { inlinedFrom: fn.name } : {};
        funcs.set(name, { object, name, sympos: 0, newFunc: name, location: fn.location, sourceFile: file.path, ...clone, ...through });
      }
    }
  }
  // A struct whose members move changes every function that reaches a moved member (model/structLayout.ts).
  for (const { name: through, accessor, location } of layoutAccessors(memo, file, patchFile, graph?.())) {
    for (const { name } of builtFunctions(memo, table, graphs, accessor)) {
      if (!funcs.has(name)) funcs.set(name, { object, name, sympos: 0, newFunc: name, location, sourceFile: file.path, layoutOf: through });
    }
  }
  const source = graph?.();
  const shifts = source ? { lineShifts: lineShifts(file, source) } : {};
  return { object, objectReason, ...shifts, funcs: [...funcs.values()], callbacks, exports, references: fileReferences(patchFile, file, memo), own: ownNamesOf(file) };
}

/**
 * The functions the build tools patch for a changed function (patchedNames); for one that has
 * no symbol in its object's table (GCC inlined it into every caller), the functions it was
 * inlined into, found from the original source's call graphs (the file's, and for a header the
 * .c files that include it), through callers that were inlined in turn, and a syscall's body
 * through its entry stubs (syscallWrappers): the compiled callers change instead (kpatch's patch
 * author guide, "Dealing with unexpected changed functions"). A function named through a macro
 * (`FNAME(walk_addr)`) is each name the macro gives it. The names alone when nothing tells.
 */
function builtFunctions(memo: Memo, table: ObjectSymbols | undefined, graphs: () => readonly CallGraph[], name: string): { name: string; inlined: boolean }[] {
  const expanded = (n: string) => graphs().map((g) => g.expansionsOf(n)).find((e) => e.length !== 1 || e[0] !== n) ?? [n];
  const own = expanded(name).flatMap((n) => patchedNames(memo, table, n)).map((n) => ({ name: n, inlined: false }));
  if (!table) return own;
  const inTable = (n: string) => table.byName.has(n) || clonesOf(memo, table, n).length > 0;
  const callersOf = (n: string) => [...graphs().flatMap((g) => g.callersOf(n)), ...syscallWrappers(n)];
  const found = new Map<string, boolean>();
  const seen = new Set<string>();
  const queue = [name];
  for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
    if (seen.has(n)) continue;
    seen.add(n);
    const names = expanded(n);
    for (const e of names.filter(inTable)) for (const p of patchedNames(memo, table, e)) if (!found.has(p)) found.set(p, n !== name);
    // Where GCC inlined (some of) it, its callers change.
    if (!names.every(inTable)) queue.push(...callersOf(n));
  }
  return found.size === 0 ? own : [...found].map(([n, inlined]) => ({ name: n, inlined }));
}

/** The lists one after the other, in an array made to size (this runs at every edit over the whole patch: flat() is slower, pushes leave copies). */
function joined<T>(lists: ReadonlyArray<readonly T[]>): T[] {
  let length = 0;
  for (const list of lists) length += list.length;
  const out = new Array<T>(length);
  let at = 0;
  for (const list of lists) for (const item of list) out[at++] = item;
  return out;
}

/** `make()` once, when first asked. */
function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/**
 * The functions the build tools patch for a changed function: the function itself when its
 * object's symbol table has it, and its clones (`foo.isra.0`, `foo.constprop.0`), which change
 * with it (kpatch-build create-diff-object.c: a changed function's clones are compared and
 * included as their own functions), a split-off part (`foo.cold`, `foo.part.0`) counted as its
 * parent (patchedFunctionOf); the name alone when the table is not known or has neither.
 */
function patchedNames(memo: Memo, table: ObjectSymbols | undefined, name: string): readonly string[] {
  if (!table) return [name];
  const clones = clonesOf(memo, table, name);
  if (clones.length === 0) return [name];
  const own = table.byName.has(name) ? [name] : [];
  return [...new Set([...own, ...clones].map((n) => patchedFunctionOf(n, (p) => table.byName.has(p))))];
}

/** `file` with its object (written out: it is made for every file at every reading). */
function withObject(file: DiffFile, { object, objectReason, lineShifts }: FileFacts): LivepatchDiffFile {
  const { oldPath, newPath, path, location, isNew, isDeleted, isBinary, hunks, reading, functionsKey } = file;
  const made: AllFields<LivepatchDiffFile> = { oldPath, newPath, path, location, isNew, isDeleted, isBinary, hunks, reading, functionsKey, object, objectReason, lineShifts };
  return made;
}

function movedParts(parts: FileParts, delta: number): FileParts {
  return {
    ...parts,
    funcs: parts.funcs.map((f) => ({ ...f, location: movedLocation(f.location, delta) })),
    callbacks: [...parts.callbacks],
    exports: parts.exports.map((e) => ({ ...e, location: movedLocation(e.location, delta) })),
    references: parts.references.map((r) => ({ ...r, location: movedLocation(r.location, delta) })),
    ...(parts.lineShifts && { lineShifts: parts.lineShifts.map((s) => ({ ...s, location: movedLocation(s.location, delta) })) }),
  };
}

/**
 * The object a file is built into (model/objectOfFile.ts), from what its hunks show it defines;
 * a header that kbuild cannot place is in the object of the .c files of its directory that
 * include it, when they agree (arch/x86/kvm/mmu/paging_tmpl.h in mmu.c's kvm).
 */
function resolveObject(file: DiffFile, kernel: KernelContext, memo: Memo, includersOf: SourceTree['includersOf']): FileObject {
  const r = objectOf(memo, kernel, file.path, () => definedInHunks(file, memo));
  const includers = r.object === 'unknown' && file.path.endsWith('.h') ? (includersOf?.(file.path) ?? []) : [];
  const objects = [...new Set(includers.map((c) => objectOf(memo, kernel, c, () => ({ symbols: [], exports: [] })).object))];
  if (objects.length === 1 && objects[0] !== 'unknown') return { object: objects[0], objectReason: `#included by ${includers.join(', ')}, built into ${objects[0]}` };
  return { object: r.object, objectReason: r.reason };
}
