// The functions each hunk of a patch changes.
//
// With the original source file (options.readSource and a parser): the hunks are placed
// in it (at their line numbers, or shifted as `patch` would when the file moved), the
// new text is rebuilt, both are parsed with tree-sitter, and every removed line is
// mapped to its definition in the old text, every added line to its definition in the
// new text. A function absent from the old text is new.
//
// Without it (or for a hunk that does not match the source): the hunk's own lines are
// read with kernel style (lineDefinitions.ts): definitions that start inside the hunk
// ('hunk-body'), and before the first of them, the function named by the hunk header's
// context ('hunk-context', diff -p), until the lines show file scope; when that context
// is a label (`out:`), the function the hunk before ended in. A function whose head is
// only on added lines, and never on the old side of the file's hunks, is new.
//
// Each function keeps the specifiers of its new definition when the hunk shows it (what
// the patched code is), else of its old one, and the hunk lines that lie in it (`lines`).
//
// Functions the patch deletes are left out: kpatch-build and klp-build do not patch them,
// the old code stays in the kernel unused (kpatch doc/patch-author-guide.md, "Code removal").
//
// The result is a new value, the parsed patch with the functions in its hunks; each file
// carries the digest of its functions (syntax/diffFileCache.ts functionsKey), so that the
// results computed from them can be found again (fileContentKey).
//
// A HunkFunctionCache carries one reading of a patch to the next (the language server
// reads a patch again at every edit): a file whose hunks and original source are the same
// as last time is not read again. While it did not move, it is the very file of last time
// (its functions frozen); one that moved gets last time's functions, moved by as many lines
// as the file moved in the patch, and is that very file from then on.
import { deepFreeze, fileTextKey, functionsKey, movedFunction } from './diffFileCache';
import type { AllFields, DiffFile, DiffHunk, DiffLine, HunkFunction, Making, ParsedFile, ParsedHunk, ParsedPatch, PatchDiff } from './diffTypes';
import { lineLocation } from './hunkLines';
import { contextDefinition, isLabel, lineDefinitions, type LineDefinition } from './lineDefinitions';
import { sourceFunctions, type SourceDefinition } from './sourceFunctions';
import type { CParser } from './treeSitter';

export interface HunkFunctionOptions {
  parser?: CParser;
  /** The original (unpatched) text of a file, by its path inside the tree; undefined when not available. */
  readSource?: (path: string) => string | undefined;
  /** Last reading's functions of this patch's files; refilled with this reading's. */
  cache?: HunkFunctionCache;
}

/** One file of a patch with its functions, from the reading of an earlier version of the patch. */
interface CachedFile {
  patchFile: string;
  /** The original source the file was read with (undefined: the hunks alone, or not a C file). */
  source: string | undefined;
  /** The patch line of the file's header then (FileKey.base). */
  base: number;
  /** The file then (its functions frozen), handed out as it is while the file does not move. */
  file: DiffFile & { functionsKey: string };
}

/** The files of the last reading, by their text (syntax/diffFileCache.ts fileTextKey). */
export interface HunkFunctionCache {
  files: Map<string, CachedFile>;
}

export function newHunkFunctionCache(): HunkFunctionCache {
  return { files: new Map() };
}

/** A definition as one line of a hunk sees it. */
interface Attribution {
  name: string;
  specifiers: string[];
  source: HunkFunction['source'];
}

/** For each line of a hunk: its definition in the old text (context, remove) and in the new text (context, add). */
interface HunkAttribution {
  old: Array<Attribution | undefined>;
  new: Array<Attribution | undefined>;
  /** Read from the hunk alone: functions whose head is on a removed line, on an added line. */
  removedHeads?: string[];
  addedHeads?: string[];
}

/** Whether a function exists before and after the patch, as far as can be told. */
interface Existence {
  inOld(name: string): boolean;
  inNew(name: string): boolean;
}

const C_FILE = /\.[ch]$/;

/**
 * `diff` with the functions of every hunk of every C file (.c, .h) in it (none for the other
 * files). Never throws: a failing parser or readSource falls back to reading the hunks alone.
 */
export function findHunkFunctions(diff: ParsedPatch, options: HunkFunctionOptions = {}): PatchDiff {
  const { parser, cache } = options;
  const kept = new Map<string, CachedFile>();
  const files = diff.files.map((file): DiffFile => {
    const base = file.location.range.start.line;
    const isC = !file.isBinary && C_FILE.test(file.path) && file.hunks.length > 0;
    const source = !isC || !parser ? undefined : file.isNew ? '' : readSafely(options.readSource, file.path);
    const signature = cache && fileTextKey(diff.file, file);
    const cached = signature && (kept.get(signature.text) ?? cache?.files.get(signature.text));
    if (signature && cached && cached.patchFile === diff.file && cached.source === source) {
      if (cached.base === base) {
        kept.set(signature.text, cached);
        return cached.file;
      }
      // Kept where it is now: a file that moved (lines added above it) is moved once, not at every reading after.
      const moved = movedFile(file, cached.file, base - cached.base);
      kept.set(signature.text, { ...cached, base, file: moved });
      return moved;
    }
    const fromSource = isC && parser && source !== undefined ? attributeWithSource(parser, source, file.hunks) : undefined;
    const functions = deepFreeze(isC ? fileFunctions(diff.file, file, fromSource) : file.hunks.map(() => []));
    const found = withFunctions(file, functions, functionsKey(functions, base));
    // A parser that failed may not fail next time: that reading is not kept.
    if (signature && !(isC && parser && source !== undefined && !fromSource)) kept.set(signature.text, { patchFile: diff.file, source, base, file: found });
    return found;
  });
  if (cache) cache.files = kept;
  return { ...diff, files };
}

/** `file` whose hunks have `functions` (per hunk), whose digest is `key`. */
function withFunctions(file: ParsedFile, functions: ReadonlyArray<readonly HunkFunction[]>, key: string): DiffFile & { functionsKey: string } {
  const { oldPath, newPath, path, location, isNew, isDeleted, isBinary, reading } = file;
  const hunks = file.hunks.map(({ header, location, oldStart, oldLines, newStart, newLines, context, lines }, i): AllFields<DiffHunk> => {
    return { header, location, oldStart, oldLines, newStart, newLines, context, lines, functions: functions[i] };
  });
  const made: AllFields<DiffFile> & { functionsKey: string } = { oldPath, newPath, path, location, isNew, isDeleted, isBinary, hunks, reading, functionsKey: key };
  return made;
}

/** `file`, `delta` lines below where `found` (the same text) was, with the functions of `found` moved there (frozen). */
function movedFile(file: ParsedFile, found: CachedFile['file'], delta: number): CachedFile['file'] {
  const functions = deepFreeze(found.hunks.map((hunk) => hunk.functions.map((fn) => movedFunction(fn, delta))));
  return withFunctions(file, functions, found.functionsKey);
}

/** The functions of each hunk of one C file. */
function fileFunctions(patchFile: string, file: ParsedFile, fromSource: SourceAttribution | undefined): HunkFunction[][] {
  // A hunk whose context is a label (diff -p takes `out:` for a function name) goes on
  // in the function the hunk before it ended in.
  let carried: Carried = {};
  const attributions = file.hunks.map((hunk, i) => {
    const placed = fromSource?.hunks[i];
    if (placed) {
      carried = {};
      return placed;
    }
    const read = attributeFromHunk(hunk, isLabel(hunk.context) ? carried : {});
    carried = read.open;
    return read;
  });
  const existence = fromSource?.existence ?? existenceFromHunks(attributions);
  return file.hunks.map((hunk, i) => functionsOf(patchFile, hunk, attributions[i], existence));
}

function readSafely(read: HunkFunctionOptions['readSource'], path: string): string | undefined {
  try {
    return read?.(path);
  } catch {
    return undefined;
  }
}

/** Groups the lines of a hunk by function. */
function functionsOf(file: string, hunk: ParsedHunk, attr: HunkAttribution, existence: Existence): HunkFunction[] {
  const byName = new Map<string, { fn: Making<HunkFunction> & { lines: number[] }; onNewSide: boolean }>();
  hunk.lines.forEach((line, i) => {
    const onNew = line.kind !== 'remove' ? attr.new[i] : undefined;
    const found = onNew ?? (line.kind !== 'add' ? attr.old[i] : undefined);
    if (!found) return;
    let entry = byName.get(found.name);
    if (!entry) {
      entry = {
        fn: {
          name: found.name,
          isNew: !existence.inOld(found.name),
          changed: false,
          source: found.source,
          location: hunk.location,
          specifiers: found.specifiers,
          lines: [],
        },
        onNewSide: false,
      };
      byName.set(found.name, entry);
    }
    const { fn } = entry;
    // The new definition's specifiers (what the patched code is) win over the old one's.
    if (onNew && !entry.onNewSide) {
      entry.onNewSide = true;
      fn.specifiers = onNew.specifiers;
      fn.source = onNew.source;
    }
    fn.lines.push(line.patchLine);
    if (line.kind !== 'context' && !fn.changed) {
      fn.changed = true;
      fn.location = lineLocation(file, line);
    }
  });
  return [...byName.values()].map((e) => e.fn).filter((fn) => existence.inNew(fn.name));
}

// ---- Without the source: the hunk's own lines ----

/** The definitions still open at the end of the hunk before, on each side. */
interface Carried {
  old?: LineDefinition;
  new?: LineDefinition;
}

function attributeFromHunk(hunk: ParsedHunk, carried: Carried): HunkAttribution & { open: Carried } {
  const old = sideAttribution(hunk, 'add', carried.old);
  const now = sideAttribution(hunk, 'remove', carried.new);
  return {
    old: old.attributions,
    new: now.attributions,
    removedHeads: old.changedHeads,
    addedHeads: now.changedHeads,
    open: { old: old.open, new: now.open },
  };
}

/**
 * Reads one side of a hunk (its lines but those of kind `skip`), spreads the result back
 * over every line, and names the functions whose head is on a line of the side's own kind.
 */
function sideAttribution(hunk: ParsedHunk, skip: DiffLine['kind'], carried: LineDefinition | undefined) {
  const side = hunk.lines.map((l, i) => ({ line: l, i })).filter(({ line }) => line.kind !== skip);
  const attributions: Array<Attribution | undefined> = new Array(hunk.lines.length).fill(undefined);
  const changedHeads: string[] = [];
  const start = contextDefinition(hunk.context) ?? (carried && { ...carried, start: -1, nameLine: -1, headEnd: -1, fromContext: true });
  const read = lineDefinitions(
    side.map(({ line }) => line.text),
    start,
    side.map(({ line }) => line.kind === 'add'),
  );
  read.at.forEach((def, k) => {
    if (!def) return;
    attributions[side[k].i] = { name: def.name, specifiers: def.specifiers, source: def.fromContext ? 'hunk-context' : 'hunk-body' };
    if (def.nameLine === k && side[k].line.kind !== 'context') changedHeads.push(def.name);
  });
  return { attributions, changedHeads, open: read.open };
}

/**
 * A function is new when its head is on an added line and it is nowhere on the old side
 * of the file's hunks; deleted when its head is on a removed line and it is nowhere on
 * the new side.
 */
function existenceFromHunks(attributions: HunkAttribution[]): Existence {
  const names = (pick: (a: HunkAttribution) => ReadonlyArray<Attribution | string | undefined> | undefined) =>
    new Set(attributions.flatMap((a) => (pick(a) ?? []).flatMap((x) => (x === undefined ? [] : [typeof x === 'string' ? x : x.name]))));
  const onOld = names((a) => a.old);
  const onNew = names((a) => a.new);
  const headAdded = names((a) => a.addedHeads);
  const headRemoved = names((a) => a.removedHeads);
  return {
    inOld: (name) => onOld.has(name) || !headAdded.has(name),
    inNew: (name) => onNew.has(name) || !headRemoved.has(name),
  };
}

// ---- With the source ----

interface SourceAttribution {
  /** Per hunk; undefined for a hunk that could not be placed in the source. */
  hunks: Array<HunkAttribution | undefined>;
  existence: Existence;
}

function attributeWithSource(parser: CParser, source: string, hunks: readonly ParsedHunk[]): SourceAttribution | undefined {
  const oldLines = source === '' ? [] : source.split('\n').map((l) => l.replace(/\r$/, ''));
  const starts = placeHunks(oldLines, hunks);
  const rebuilt = rebuild(oldLines, hunks, starts);
  const oldDefs = sourceFunctions(parser, source);
  const newDefs = sourceFunctions(parser, rebuilt.newLines.join('\n'));
  if (!oldDefs || !newDefs) return undefined;
  const oldAt = definitionByLine(oldDefs, oldLines.length);
  const newAt = definitionByLine(newDefs, rebuilt.newLines.length);
  const oldNames = new Set(oldDefs.map((d) => d.name));
  const newNames = new Set(newDefs.map((d) => d.name));
  return {
    hunks: hunks.map((hunk, h) => {
      if (starts[h] === undefined) return undefined;
      const rows = rebuilt.rows[h];
      return {
        old: hunk.lines.map((_, i) => attribution(oldAt, rows[i].oldRow)),
        new: hunk.lines.map((_, i) => attribution(newAt, rows[i].newRow)),
      };
    }),
    // A hunk that could not be placed may still add a function the rebuilt text lacks.
    existence: { inOld: (n) => oldNames.has(n), inNew: (n) => newNames.has(n) || !oldNames.has(n) },
  };
}

function attribution(at: Array<SourceDefinition | undefined>, row: number | undefined): Attribution | undefined {
  const def = row === undefined ? undefined : at[row];
  return def && { name: def.name, specifiers: def.specifiers, source: 'tree-sitter' };
}

function definitionByLine(defs: SourceDefinition[], lineCount: number): Array<SourceDefinition | undefined> {
  const at: Array<SourceDefinition | undefined> = new Array(lineCount).fill(undefined);
  for (const d of defs) for (let r = d.startLine; r <= d.endLine && r < lineCount; r++) at[r] = d;
  return at;
}

/**
 * Where each hunk's old lines start in the source (0-based), searching outward from
 * the line its header names, shifted by the offset of the hunk before (as GNU patch
 * does, without fuzz). Undefined for a hunk whose lines are not there.
 */
function placeHunks(oldLines: string[], hunks: readonly ParsedHunk[]): Array<number | undefined> {
  const starts: Array<number | undefined> = [];
  let offset = 0;
  let minStart = 0;
  for (const hunk of hunks) {
    const old = hunk.lines.filter((l) => l.kind !== 'add').map((l) => l.text.trimEnd());
    // `-k,0` inserts after line k: its old lines (none) start at index k.
    const expected = (old.length === 0 ? hunk.oldStart : hunk.oldStart - 1) + offset;
    const found = findLines(oldLines, old, expected, minStart);
    starts.push(found);
    if (found === undefined) continue;
    offset = found - (old.length === 0 ? hunk.oldStart : hunk.oldStart - 1);
    minStart = found + old.length;
  }
  return starts;
}

function findLines(haystack: string[], needle: string[], expected: number, minStart: number): number | undefined {
  const last = haystack.length - needle.length;
  const matches = (at: number) => at >= minStart && at <= last && needle.every((l, i) => haystack[at + i].trimEnd() === l);
  if (needle.length === 0) return matches(expected) ? expected : undefined;
  for (let d = 0; expected - d >= minStart || expected + d <= last; d++) {
    if (matches(expected + d)) return expected + d;
    if (d > 0 && matches(expected - d)) return expected - d;
  }
  return undefined;
}

interface Rows {
  oldRow?: number;
  newRow?: number;
}

/** The new text (placed hunks applied) and, for each line of each placed hunk, its rows in the old and new texts. */
function rebuild(oldLines: string[], hunks: readonly ParsedHunk[], starts: Array<number | undefined>): { newLines: string[]; rows: Rows[][] } {
  const newLines: string[] = [];
  const rows: Rows[][] = [];
  let cursor = 0;
  hunks.forEach((hunk, h) => {
    const start = starts[h];
    rows.push([]);
    if (start === undefined) return;
    newLines.push(...oldLines.slice(cursor, start));
    let oldRow = start;
    for (const line of hunk.lines) {
      const r: Rows = {};
      if (line.kind !== 'add') r.oldRow = oldRow++;
      if (line.kind !== 'remove') {
        r.newRow = newLines.length;
        newLines.push(line.text);
      }
      rows[h].push(r);
    }
    cursor = oldRow;
  });
  newLines.push(...oldLines.slice(cursor));
  return { newLines, rows };
}
