// Results computed from one file of a patch, carried from one reading of the patch to the
// next (the language server reads a patch again at every edit), so that the work after an
// edit is proportional to the files the edit touched. A result is found again by the
// file's content key: everything the result may depend on in the patch, with every
// position relative to the file's header line, so that a file that only moved in the
// patch keeps its key and gets its old result moved by as many lines as it moved.
import { location, makeRange, type Location, type Range } from '../common/range';
import type { DiffFile, HunkFunction } from './diffTypes';

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

const readings = new WeakMap<DiffFile, string>();

/**
 * Notes the text of its patch `file` was read from (diff.ts parsePatch: from its first header
 * line to its last hunk line): two files read from the same text are the same but for their
 * place in the patch and the patch's name.
 */
export function keepReading(file: DiffFile, text: string): void {
  readings.set(file, text);
}

const textKeys = new WeakMap<DiffFile, FileKey & { patchFile: string }>();

/**
 * The file as parsed: the text it was read from (keepReading), and the patch's
 * name; for a file parsePatch did not make, all its fields but the ones found later
 * (functions, object), positions relative. A DiffFile's text does not change once parsed.
 */
export function fileTextKey(patchFile: string, file: DiffFile): FileKey {
  const known = textKeys.get(file);
  if (known?.patchFile === patchFile) return known;
  const base = file.location.range.start.line;
  const reading = readings.get(file);
  const made =
    reading !== undefined
      ? { text: reading, rest: JSON.stringify([patchFile]), base, patchFile }
      : {
          text: JSON.stringify({
            ...file,
            location: relative(file.location, base),
            object: undefined,
            objectReason: undefined,
            hunks: file.hunks.map((h) => ({ ...h, location: relative(h.location, base), functions: undefined, lines: h.lines.map((l) => ({ ...l, patchLine: l.patchLine - base })) })),
          }),
          rest: JSON.stringify([patchFile, 'fields']),
          base,
          patchFile,
        };
  textKeys.set(file, made);
  return made;
}

const functionMarks = new WeakMap<DiffFile, { mark: string; functions: HunkFunction[][] }>();

/**
 * Notes that the functions now in the hunks of `file` are the ones of `mark` (moved to
 * the file's place): two files with the same text key and mark have the same functions.
 */
export function markFunctions(file: DiffFile, mark: string): void {
  functionMarks.set(file, { mark, functions: file.hunks.map((h) => h.functions) });
}

/**
 * The text key and the functions of the hunks (syntax/hunkFunctions.ts findHunkFunctions
 * must have run): what a result that reads the hunks' functions depends on in the patch.
 * The functions count by their mark while the hunks keep the lists marked, else by value.
 */
export function fileContentKey(patchFile: string, file: DiffFile): FileKey {
  const { text, rest, base } = fileTextKey(patchFile, file);
  const marked = functionMarks.get(file);
  if (marked && file.hunks.every((h, i) => h.functions === marked.functions[i])) return { text, rest: JSON.stringify([rest, marked.mark]), base };
  const functions = file.hunks.map((h) => h.functions.map((fn) => ({ ...fn, location: relative(fn.location, base), lines: fn.lines?.map((l) => l - base) })));
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
  base: number;
  /** Frozen: handed out to every reading that finds the file unmoved. */
  value: T;
}

/** Entries by FileKey text, then rest. */
type Entries<T> = Map<string, Map<string, Entry<T>>>;

/**
 * Values per file content key, kept from one reading to the next: a value not used during
 * a reading is dropped at the start of the next one. Values are stored frozen, so that no
 * reader can change what another reading gets; a file that moved gets a moved copy.
 */
export class DiffFileCache<T> {
  private current: Entries<T> = new Map();
  private previous: Entries<T> = new Map();
  private context: unknown;
  /** How many values were computed, not found (for tests). */
  computed = 0;

  /** `move(value, delta)`: a copy of value (a deep one for every position) whose positions are `delta` lines further down. */
  constructor(private readonly move: (value: T, delta: number) => T) {}

  /**
   * Starts a reading: what the reading before did not use is forgotten, and everything when
   * `context` (what the values depend on besides the file, e.g. the kernel) is another one.
   */
  startReading(context?: unknown): void {
    this.previous = context === this.context ? this.current : new Map();
    this.current = new Map();
    this.context = context;
  }

  /** The value for `file`: the one kept for its content key (moved), or compute() at the file's place. */
  get(file: FileKey, compute: () => T): T {
    let entry = this.current.get(file.text)?.get(file.rest) ?? this.previous.get(file.text)?.get(file.rest);
    if (!entry) {
      entry = { base: file.base, value: deepFreeze(this.move(compute(), 0)) };
      this.computed++;
    }
    const byRest = this.current.get(file.text) ?? new Map<string, Entry<T>>();
    this.current.set(file.text, byRest.set(file.rest, entry));
    return entry.base === file.base ? entry.value : this.move(entry.value, file.base - entry.base);
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
