// Results computed from one file of a patch, carried from one reading of the patch to the
// next (the language server reads a patch again at every edit), so that the work after an
// edit is proportional to the files the edit touched. A result is found again by the
// file's content key: everything the result may depend on in the patch, with every
// position relative to the file's header line, so that a file that only moved in the
// patch keeps its key and gets its old result moved by as many lines as it moved.
import { createHash } from 'node:crypto';
import { location, makeRange, type Location, type Range } from '../common/range';
import type { DiffFile, HunkFunction, ParsedFile } from './diffTypes';

/**
 * The content key of a file (or of files taken together), in two parts: `text`, long, the
 * same string object from one reading to the next while the file does not change (diff.ts
 * PatchParseCache), and `rest`, short.
 */
export interface FileKey {
  text: string;
  rest: string;
  /** The patch line of the file's header: the key's positions are relative to it. */
  base: number;
}

/**
 * The file as parsed: the text it was read from (its `reading`), and the patch's name; for a
 * file parsePatch did not make, its parsed fields, positions relative.
 */
export function fileTextKey(patchFile: string, file: ParsedFile): FileKey {
  const base = file.location.range.start.line;
  if (file.reading !== undefined) return { text: file.reading, rest: JSON.stringify([patchFile]), base };
  const { oldPath, newPath, path, isNew, isDeleted, isBinary } = file;
  const hunks = file.hunks.map(({ header, location, oldStart, oldLines, newStart, newLines, context, lines }) => ({
    header,
    location: relative(location, base),
    oldStart,
    oldLines,
    newStart,
    newLines,
    context,
    lines: lines.map((l) => ({ ...l, patchLine: l.patchLine - base })),
  }));
  const text = JSON.stringify({ oldPath, newPath, path, location: relative(file.location, base), isNew, isDeleted, isBinary, hunks });
  return { text, rest: JSON.stringify([patchFile, 'fields']), base };
}

/**
 * The functions of the hunks of a file whose header is at patch line `base`, positions
 * relative to it, as a digest: the same for the same functions wherever the file is.
 */
export function functionsKey(functions: ReadonlyArray<readonly HunkFunction[]>, base: number): string {
  return createHash('sha1').update(relativeFunctions(functions, base)).digest('base64');
}

function relativeFunctions(functions: ReadonlyArray<readonly HunkFunction[]>, base: number): string {
  return JSON.stringify(functions.map((list) => list.map((fn) => movedFunction(fn, -base))));
}

/**
 * The text key and the functions of the hunks: what a result that reads the hunks'
 * functions depends on in the patch. The functions count by the key findHunkFunctions gave
 * the file, else (a file it did not make) by value.
 */
export function fileContentKey(patchFile: string, file: DiffFile): FileKey {
  const { text, rest, base } = fileTextKey(patchFile, file);
  const functions = file.functionsKey ?? relativeFunctions(file.hunks.map((h) => h.functions), base);
  return { text, rest: JSON.stringify([rest, functions]), base };
}

/** `at`, `base` lines further up. */
function relative(at: Location, base: number): Location {
  return movedLocation(at, -base);
}

/** A copy of `range`, `delta` lines further down. */
export function movedRange(range: Range, delta: number): Range {
  return makeRange(range.start.line + delta, range.start.character, range.end.line + delta, range.end.character);
}

export function movedLocation(at: Location, delta: number): Location {
  return location(at.file, movedRange(at.range, delta));
}

/** A copy of `fn` whose patch lines are `delta` lines further down. */
export function movedFunction(fn: HunkFunction, delta: number): HunkFunction {
  return { ...fn, location: movedLocation(fn.location, delta), specifiers: [...fn.specifiers], ...(fn.lines && { lines: fn.lines.map((l) => l + delta) }) };
}

interface Entry<T> {
  rest: string;
  base: number;
  /** Frozen: handed out to every reading that finds the file unmoved. */
  value: T;
  /** The last reading that used it. */
  used: number;
  /** The entry of the same text with another rest, if any (few texts have two). */
  other?: Entry<T>;
}

/**
 * Values per file content key, kept from one reading to the next: a value not used during
 * a reading is dropped at the start of the next one. Values are stored frozen, so that no
 * reader can change what another reading gets; a file that moved gets a moved copy. One map
 * look-up per file and reading (entries stamped with the reading that used them, the others
 * dropped at the next start), not a map of the used ones made anew at each reading: a
 * 50,000-line patch's 484 files are looked up by each check at every edit.
 */
export class DiffFileCache<T> {
  /** By FileKey text, then rest (Entry.other). */
  private entries = new Map<string, Entry<T>>();
  private reading = 0;
  private context: unknown;
  /** How many values were computed, not found (for tests). */
  computed = 0;

  /**
   * Starts a reading: what the reading before did not use is forgotten, and everything when
   * `context` (what the values depend on besides the file, e.g. the kernel) is another one.
   */
  startReading(context?: unknown): void {
    if (context === this.context) this.forgetUnused();
    else this.entries = new Map();
    this.context = context;
    this.reading++;
  }

  private forgetUnused(): void {
    for (const [text, first] of this.entries) {
      let head: Entry<T> | undefined;
      let tail: Entry<T> | undefined;
      for (let e: Entry<T> | undefined = first, next: Entry<T> | undefined; e; e = next) {
        next = e.other;
        e.other = undefined;
        if (e.used !== this.reading) continue;
        if (tail) tail.other = e;
        else head = e;
        tail = e;
      }
      if (!head) this.entries.delete(text);
      else if (head !== first) this.entries.set(text, head);
    }
  }

  /**
   * The value for `file`: the one kept for its content key (moved), or compute(arg) at the file's
   * place. `move(value, delta)`: a copy of value (a deep one for every position) whose positions
   * are `delta` lines further down; given at each call, not kept (a closure of one reading
   * would keep that reading's analysis alive). `arg`: what compute() reads, so that one function
   * serves every file of a reading (not a closure made per file and reading).
   */
  get<A>(file: FileKey, compute: (arg: A) => T, move: (value: T, delta: number) => T, arg?: A): T {
    const first = this.entries.get(file.text);
    let entry = first;
    while (entry && entry.rest !== file.rest) entry = entry.other;
    if (!entry) {
      entry = { rest: file.rest, base: file.base, value: deepFreeze(move(compute(arg as A), 0)), used: this.reading, ...(first && { other: first }) };
      this.entries.set(file.text, entry);
      this.computed++;
    } else if (entry.base !== file.base) {
      // Kept where it is now: a file that moved (lines added above it) is moved once, not at every reading after.
      entry.value = deepFreeze(move(entry.value, file.base - entry.base));
      entry.base = file.base;
    }
    entry.used = this.reading;
    return entry.value;
  }
}

/** `value`, frozen with everything it holds. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) for (const v of value) deepFreeze(v);
  else for (const key in value) deepFreeze(value[key]);
  return value;
}
