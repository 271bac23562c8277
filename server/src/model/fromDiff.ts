// A patch diff (with its hunks' functions found, syntax/hunkFunctions.ts) as the
// livepatch kpatch-build or klp-build would build from it: one klp_func per changed
// function that exists in the target (new functions are part of the livepatch module,
// not patched), grouped by the object each file is built into (the livepatch's diff
// carries each file's object: LivepatchDiff). With a FromDiffCache, what it read from a
// file whose text and functions are unchanged since the last reading of the patch (with
// the same kernel) is not read again (syntax/diffFileCache.ts).
import { Memo } from '../common/memo';
import { makeRange, type Location } from '../common/range';
import { singleFileModule } from '../kernel/moduleSources';
import { clonesOf, patchedFunctionOf } from '../kernel/symbolClones';
import type { KernelContext, ObjectSymbols } from '../kernel/types';
import { lexLine, type CToken } from '../syntax/cLine';
import { DiffFileCache, fileContentKey, movedLocation } from '../syntax/diffFileCache';
import type { CallGraph } from '../syntax/callGraph';
import type { AllFields, DiffFile, PatchDiff } from '../syntax/diffTypes';
import { lineLocation, sideLines } from '../syntax/hunkLines';
import { diffReferences, fileReferences } from './references/diffReferences';
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
}

/** The object a file is built into, and how that was found. */
type FileObject = Required<Pick<LivepatchDiffFile, 'object' | 'objectReason'>>;

/** What livepatchFromDiff reads from one file of a patch. */
interface FileParts extends FileObject {
  /** A klp_func per changed function that exists in the target, in patch order. */
  funcs: PatchedFunction[];
  /** The klp_object callbacks its added lines set, in order of appearance. */
  callbacks: string[];
  exports: ExportDeclaration[];
  /** syntax/diffReferences.ts fileReferences. */
  references: SymbolReference[];
}

/** FileParts by file content, from one reading of a patch to the next, for one kernel. */
export type FromDiffCache = DiffFileCache<FileParts>;

export function newFromDiffCache(): FromDiffCache {
  return new DiffFileCache(movedParts);
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

const EXPORT_MACRO = /^EXPORT_SYMBOL(_GPL|_NS|_NS_GPL|_GPL_FUTURE)?$/;

/**
 * Builds the livepatch of a diff whose hunks carry their functions; its diff is `diff` with
 * each file's object. The diff's own problems become the livepatch's.
 */
export function livepatchFromDiff(diff: PatchDiff, options: FromDiffOptions): Livepatch {
  const { kernel, cache } = options;
  const memo = options.memo ?? new Memo();
  const wholeFirstLine: Location = { file: diff.file, range: makeRange(0, 0, 1, 0) };
  const objects: PatchObject[] = [];
  const objectOf = (file: DiffFile, name: string): PatchObject => {
    let obj = objects.find((o) => o.object === name);
    if (!obj) {
      obj = { declaredName: name === 'vmlinux' ? null : name, object: name, location: file.location, funcs: [], hasFuncs: true, callbacks: [] };
      objects.push(obj);
    }
    return obj;
  };
  const exports: ExportDeclaration[] = [];
  /** The functions taken, by object and source file (a patch may change a file in several places). */
  const seen = new Map<string, Set<string>>();
  const parts = new Map<DiffFile, FileParts>();
  cache?.startReading(kernel);

  const files = diff.files.map((file): LivepatchDiffFile => {
    if (file.isBinary) return file;
    const read = () => fileParts(diff.file, file, kernel, memo, options.callGraphOf);
    const found = cache ? cache.get(fileContentKey(diff.file, file), read) : read();
    parts.set(file, found);
    const { object } = found;
    const where = `${object}\0${file.path}`;
    const taken = seen.get(where) ?? new Set<string>();
    seen.set(where, taken);
    for (const func of found.funcs) {
      if (taken.has(func.name)) continue;
      taken.add(func.name);
      objectOf(file, object).funcs.push(func);
    }
    if (found.callbacks.length > 0) {
      const obj = objectOf(file, object);
      for (const callback of found.callbacks) if (!obj.callbacks.includes(callback)) obj.callbacks.push(callback);
    }
    exports.push(...found.exports);
    return withObject(file, found);
  });

  return {
    name: options.name,
    kind: 'diff',
    file: diff.file,
    replace: options.replace,
    replaceLocation: wholeFirstLine,
    location: diff.files[0]?.location ?? wholeFirstLine,
    objects: objects.filter((o) => o.funcs.length > 0 || o.callbacks.length > 0),
    states: [],
    livepatchModinfo: undefined,
    exports,
    // A binary file has no hunks, and so no references.
    references: diffReferences(diff, (file) => parts.get(file)?.references ?? []),
    klpSymbols: [],
    diff: { ...diff, files },
    problems: [...diff.problems],
  };
}

function fileParts(patchFile: string, file: DiffFile, kernel: KernelContext, memo: Memo, callGraphOf: FromDiffOptions['callGraphOf']): FileParts {
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
  const { object, objectReason } = resolveObject(file, kernel, memo);
  const funcs = new Map<string, PatchedFunction>();
  const table = kernel.objects.get(object);
  const graph = table && !file.isNew && file.path.endsWith('.c') ? lazy(() => callGraphOf?.(file.path)) : undefined;
  for (const hunk of file.hunks) {
    for (const fn of hunk.functions) {
      if (!fn.changed || fn.isNew || funcs.has(fn.name)) continue;
      // kpatch-build and klp-build compute the position (sympos) themselves.
      for (const { name, inlined } of builtFunctions(memo, table, graph, fn.name)) {
        if (funcs.has(name)) continue;
        const clone = name === fn.name || inlined ? {} : { sourceFunction: fn.name };
        const through = inlined ? { inlinedFrom: fn.name } : {};
        funcs.set(name, { object, name, sympos: 0, newFunc: name, location: fn.location, sourceFile: file.path, ...clone, ...through });
      }
    }
  }
  return { object, objectReason, funcs: [...funcs.values()], callbacks, exports, references: fileReferences(patchFile, file, memo) };
}

/**
 * The functions the build tools patch for a changed function (patchedNames); for one that has
 * no symbol in its object's table (GCC inlined it into every caller), the functions it was
 * inlined into, found from the original source's call graph, through callers that were
 * inlined in turn: the compiled callers change instead (kpatch's patch author guide, "Dealing
 * with unexpected changed functions"). The name alone when nothing tells.
 */
function builtFunctions(memo: Memo, table: ObjectSymbols | undefined, graph: (() => CallGraph | undefined) | undefined, name: string): { name: string; inlined: boolean }[] {
  const own = patchedNames(memo, table, name);
  const inTable = (n: string) => table!.byName.has(n) || clonesOf(memo, table!, n).length > 0;
  const callGraph = graph?.();
  if (!table || !callGraph || inTable(name)) return own.map((n) => ({ name: n, inlined: false }));
  const found = new Set<string>();
  const seen = new Set([name]);
  const queue = [name];
  while (queue.length > 0) {
    for (const caller of callGraph.callersOf(queue.shift()!)) {
      if (seen.has(caller)) continue;
      seen.add(caller);
      if (inTable(caller)) for (const n of patchedNames(memo, table, caller)) found.add(n);
      else queue.push(caller);
    }
  }
  if (found.size === 0) return own.map((n) => ({ name: n, inlined: false }));
  return [...found].map((n) => ({ name: n, inlined: true }));
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
function withObject(file: DiffFile, { object, objectReason }: FileObject): LivepatchDiffFile {
  const { oldPath, newPath, path, location, isNew, isDeleted, isBinary, hunks, reading, functionsKey } = file;
  const made: AllFields<LivepatchDiffFile> = { oldPath, newPath, path, location, isNew, isDeleted, isBinary, hunks, reading, functionsKey, object, objectReason };
  return made;
}

function movedParts(parts: FileParts, delta: number): FileParts {
  return {
    ...parts,
    funcs: parts.funcs.map((f) => ({ ...f, location: movedLocation(f.location, delta) })),
    callbacks: [...parts.callbacks],
    exports: parts.exports.map((e) => ({ ...e, location: movedLocation(e.location, delta) })),
    references: parts.references.map((r) => ({ ...r, location: movedLocation(r.location, delta) })),
  };
}

/**
 * The object a file is built into: from kbuild when the source tree is known; else from the
 * kernel's artifacts: the module Module.symvers says exports a symbol the file defines, a
 * changed function found in vmlinux or in exactly one module's symbol table, the module the
 * module lists say is built from the file alone; else vmlinux, as a guess.
 */
function resolveObject(file: DiffFile, kernel: KernelContext, memo: Memo): FileObject {
  const resolved = kbuildObject(file.path, kernel);
  if (resolved) return builtinAsVmlinux(resolved, kernel);
  const exporter = exporterOf(definedExports(file, memo), kernel);
  if (exporter) return builtinAsVmlinux(exporter, kernel);
  const names = [...new Set(file.hunks.flatMap((h) => h.functions.filter((f) => f.changed && !f.isNew).map((f) => f.name)))];
  for (const name of names) {
    const found = objectsHolding(memo, name, kernel);
    if (found.length === 1) {
      const table = kernel.objects.get(found[0])!;
      const what = table.byName.has(name) ? `\`${name}\`` : `\`${clonesOf(memo, table, name)[0]}\`, a clone of \`${name}\`,`;
      return builtinAsVmlinux({ object: found[0], objectReason: `${what} is in the symbol table of ${found[0]} (${table.file})` }, kernel);
    }
  }
  const single = singleFileModule(memo, kernel, file.path);
  if (single) return { object: single.object, objectReason: single.reason };
  return { object: 'vmlinux', objectReason: `a guess: the object ${file.path} is built into is not known (no kernel source tree, and no symbol table names its changed functions)` };
}

function kbuildObject(path: string, kernel: KernelContext): FileObject | undefined {
  try {
    const r = kernel.kbuild?.resolve(path);
    return r && r.object !== 'unknown' ? { object: r.object, objectReason: r.reason } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The names the file defines that may be exported: the non-static functions its hunks show (a
 * hunk's functions are defined in the file) and the arguments of the EXPORT_SYMBOL*() lines of
 * the original file it shows (in the hunks, or as the function context after @@).
 */
function definedExports(file: DiffFile, memo: Memo): string[] {
  const names = new Set<string>();
  const exportsIn = (tokens: readonly CToken[]) =>
    tokens.forEach((_, i) => {
      const exported = exportedAt(tokens, i);
      if (exported) names.add(exported.text);
    });
  for (const hunk of file.hunks) {
    for (const fn of hunk.functions) if (!fn.isNew && !fn.specifiers.includes('static')) names.add(fn.name);
    exportsIn(lexLine(hunk.context));
    for (const { tokens } of sideLines(memo, hunk, 'old')) exportsIn(tokens);
  }
  return [...names];
}

/** The symbol `EXPORT_SYMBOL*(name` at tokens[i] exports, if one starts there. */
function exportedAt(tokens: readonly CToken[], i: number): CToken | undefined {
  const arg = tokens[i + 2];
  return EXPORT_MACRO.test(tokens[i].text) && tokens[i + 1]?.text === '(' && arg?.kind === 'ident' ? arg : undefined;
}

/** The one object Module.symvers says exports any of `names` (an export's name is unique in the kernel). */
function exporterOf(names: readonly string[], kernel: KernelContext): FileObject | undefined {
  const exporters = new Map<string, string>();
  for (const name of names) {
    const e = kernel.exports.get(name);
    if (e && !exporters.has(e.object)) exporters.set(e.object, name);
  }
  if (exporters.size !== 1) return undefined;
  const [[object, name]] = exporters;
  return { object, objectReason: `\`${name}\`, defined in this file, is exported by ${object} (Module.symvers)` };
}

/** A module listed in modules.builtin is part of vmlinux. */
function builtinAsVmlinux(r: FileObject, kernel: KernelContext): FileObject {
  if (r.object !== 'vmlinux' && kernel.modules.get(r.object)?.builtin) {
    return { object: 'vmlinux', objectReason: `${r.objectReason}; ${r.object} is built into vmlinux (modules.builtin)` };
  }
  return r;
}

/** vmlinux when its table has the name (or a clone of it); otherwise every module whose table has it. */
function objectsHolding(memo: Memo, name: string, kernel: KernelContext): string[] {
  const holds = (t: ObjectSymbols) => t.byName.has(name) || clonesOf(memo, t, name).length > 0;
  const vmlinux = kernel.objects.get('vmlinux');
  if (vmlinux && holds(vmlinux)) return ['vmlinux'];
  return [...kernel.objects.values()].filter((t) => t.object !== 'vmlinux' && holds(t)).map((t) => t.object);
}
