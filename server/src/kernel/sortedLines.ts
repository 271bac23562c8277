// A table of text lines sorted by key, "key" or "key\tvalue" each, with a u32 array of where
// each line starts (and one past the last): the form the on-disk caches keep names in, looked
// up by binary search in the bytes as read, so that a load need not build a Map of 100,000
// names it will ask a few of (moduleIndex.ts: which modules hold a name; artifactIndex.ts:
// kallsyms' and Module.symvers' names).
import { partitionPoint } from '../common/partitionPoint';
import { LazyMap } from './lazyMap';

export interface SortedLinesBytes {
  text: Buffer;
  /** u32 per line and one past the last: where it starts in `text`. */
  offsets: Buffer;
}

/**
 * The lines of `sortedKeys` (distinct, in JavaScript's order, which lowerBound() searches in;
 * without a newline, and without a tab when they have a value: the caller leaves out the others)
 * and their values.
 */
export function sortedLines(sortedKeys: readonly string[], valueOf?: (key: string) => string | undefined): SortedLinesBytes {
  const lines = valueOf
    ? sortedKeys.map((key) => {
        const value = valueOf(key);
        return value === undefined ? key : `${key}\t${value}`;
      })
    : sortedKeys;
  // One join, and where each line starts from the bytes: a string and a byteLength per line cost
  // several times more on the module index's 600,000 names.
  const text = Buffer.from(lines.length === 0 ? '' : `${lines.join('\n')}\n`);
  const offsets = new Uint32Array(lines.length + 1);
  for (let at = text.indexOf(10), line = 0; at >= 0; at = text.indexOf(10, at + 1)) offsets[++line] = at + 1;
  return { text, offsets: Buffer.from(offsets.buffer) };
}

/** Sorted lines as read (checked by the caller: a section of a cache file matched its SHA-256). */
export class SortedLines {
  readonly count: number;

  constructor(
    private readonly bytes: SortedLinesBytes,
    /** Whether a line is "key\tvalue"; else the whole line is its key. */
    private readonly valued = true,
  ) {
    this.count = Math.max(0, Math.floor(bytes.offsets.length / 4) - 1);
  }

  /** The line at `i`, without its newline. */
  line(i: number): string {
    const { text, offsets } = this.bytes;
    return text.toString('utf8', offsets.readUInt32LE(4 * i), offsets.readUInt32LE(4 * i + 4) - 1);
  }

  keyAt(i: number): string {
    const line = this.line(i);
    const tab = this.valued ? line.indexOf('\t') : -1;
    return tab < 0 ? line : line.slice(0, tab);
  }

  /** The value of the line at `i` ('' when it has none). */
  valueAt(i: number): string {
    const line = this.line(i);
    const tab = this.valued ? line.indexOf('\t') : -1;
    return tab < 0 ? '' : line.slice(tab + 1);
  }

  /** The first line whose key is not before `key`. */
  lowerBound(key: string): number {
    return partitionPoint(this.count, (i) => this.keyAt(i) < key);
  }

  /** The line whose key is `key`, or -1. */
  find(key: string): number {
    const i = this.lowerBound(key);
    return i < this.count && this.keyAt(i) === key ? i : -1;
  }

  /** The lines whose key starts with `prefix`, as [first, end): in sorted order they follow one another. */
  withPrefix(prefix: string): [number, number] {
    const first = this.lowerBound(prefix);
    return [first, first + partitionPoint(this.count - first, (i) => this.keyAt(first + i).startsWith(prefix))];
  }
}

/**
 * A Map over sorted lines whose values start with their rank (a decimal number, then a tab: the
 * order the Map the lines were made from iterates in): get() and has() search the lines and
 * decode the one value asked for; iterating decodes them all, in rank order, as the Map made
 * from the file would; a set() or delete() decodes them all first.
 */
export class SortedMap<V> extends LazyMap<string, V> {
  private whole = false;

  constructor(
    readonly lines: SortedLines,
    /** A value from its line's value (its rank and tab removed) and key. */
    private readonly decode: (value: string, key: string) => V,
  ) {
    super();
  }

  /** Whether a key starts with `prefix`. */
  hasKeyWithPrefix(prefix: string): boolean {
    const first = this.lines.lowerBound(prefix);
    return first < this.lines.count && this.lines.keyAt(first).startsWith(prefix);
  }

  /** The keys that start with `prefix`, sorted, without decoding their values. */
  keysWithPrefix(prefix: string): string[] {
    const [first, end] = this.lines.withPrefix(prefix);
    return Array.from({ length: end - first }, (_, i) => this.lines.keyAt(first + i));
  }

  override get(key: string): V | undefined {
    const known = super.get(key);
    if (known !== undefined || this.whole) return known;
    const i = this.lines.find(key);
    if (i < 0) return undefined;
    const value = this.decodeAt(i, key);
    super.set(key, value);
    return value;
  }

  override has(key: string): boolean {
    return super.has(key) || (!this.whole && this.lines.find(key) >= 0);
  }

  override get size(): number {
    return this.whole ? super.size : this.lines.count;
  }

  override set(key: string, value: V): this {
    this.fillAll();
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    this.fillAll();
    return super.delete(key);
  }

  override clear(): void {
    this.whole = true;
    super.clear();
  }

  private decodeAt(i: number, key: string): V {
    const value = this.lines.valueAt(i);
    return this.decode(value.slice(value.indexOf('\t') + 1), key);
  }

  /** Every value, in rank order (the values decoded already kept: a caller may hold them). */
  protected override fillAll(): void {
    if (this.whole) return;
    this.whole = true;
    const ranked: [number, string, V][] = [];
    for (let i = 0; i < this.lines.count; i++) {
      const key = this.lines.keyAt(i);
      const value = this.lines.valueAt(i);
      ranked.push([parseInt(value, 10), key, super.get(key) ?? this.decodeAt(i, key)]);
    }
    ranked.sort((a, b) => a[0] - b[0]);
    super.clear();
    for (const [, key, value] of ranked) super.set(key, value);
  }
}
