// Which modules may hold a symbol name, by a 32-bit hash of the name: what a folder's modules
// answer from while their index is not written (moduleIndex.ts MemorySource). Hashing the name
// bytes in the symbol name table makes no string and no map entry for each of a full kernel's
// 519,000 names (a Map of them: 160 ms and 40 MB); a look-up gives candidates, which the
// caller checks against the tables (two names may share a hash).

/** FNV-1a (32 bits) of bytes[start, end). */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  return hash >>> 0;
}

/** hashBytes() of a name as the symbol name table holds it: each character is one byte (names are read as latin1, elf.ts). */
export function hashName(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ (name.charCodeAt(i) & 0xff), 0x01000193);
  return hash >>> 0;
}

export interface NameHashesState {
  hashes: Uint32Array<ArrayBufferLike>;
  positions: Int32Array<ArrayBufferLike>;
  count: number;
  sorted: boolean;
}

/**
 * A multimap from hash to position: the pairs appended as they come (a hash table's inserts
 * were 65-130 ms of a full kernel's reading, each a cache miss in 12 MB of slots), sorted by hash
 * once (a radix sort, ~10 ms for 300,000 pairs) before the first look-up, a binary search then.
 */
export class NameHashes {
  private hashes: Uint32Array<ArrayBufferLike>;
  private positions: Int32Array<ArrayBufferLike>;
  private count = 0;
  private sorted = true;

  /** Sized for about `expected` pairs (it grows past them). */
  constructor(expected = 1024) {
    this.hashes = new Uint32Array(Math.max(16, expected));
    this.positions = new Int32Array(Math.max(16, expected));
  }

  /** What a thread's hashes are sent as (their arrays' buffers transferable), and made again from. */
  state(): NameHashesState {
    return { hashes: this.hashes, positions: this.positions, count: this.count, sorted: this.sorted };
  }

  static fromState(state: NameHashesState): NameHashes {
    return Object.assign(new NameHashes(0), state);
  }

  add(hash: number, position: number): void {
    if (this.count === this.hashes.length) {
      const [hashes, positions] = [this.hashes, this.positions];
      this.hashes = new Uint32Array(2 * hashes.length);
      this.positions = new Int32Array(2 * hashes.length);
      this.hashes.set(hashes);
      this.positions.set(positions);
    }
    this.hashes[this.count] = hash;
    this.positions[this.count++] = position;
    this.sorted = false;
  }

  /** The positions added with `hash`, ascending, each once. */
  candidates(hash: number): number[] {
    this.sort();
    let [low, high] = [0, this.count];
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.hashes[middle] < hash) low = middle + 1;
      else high = middle;
    }
    const found = new Set<number>();
    for (let i = low; i < this.count && this.hashes[i] === hash; i++) found.add(this.positions[i]);
    return [...found].sort((a, b) => a - b);
  }

  /** Sorts the pairs by hash: a least-significant-digit radix sort, a byte at a time. */
  sort(): void {
    if (this.sorted) return;
    let hashes: Uint32Array<ArrayBufferLike> = this.hashes.subarray(0, this.count);
    let positions: Int32Array<ArrayBufferLike> = this.positions.subarray(0, this.count);
    let toHashes: Uint32Array<ArrayBufferLike> = new Uint32Array(this.count);
    let toPositions: Int32Array<ArrayBufferLike> = new Int32Array(this.count);
    for (let shift = 0; shift < 32; shift += 8) {
      const starts = new Int32Array(257);
      for (let i = 0; i < hashes.length; i++) starts[((hashes[i] >>> shift) & 0xff) + 1]++;
      for (let b = 1; b <= 256; b++) starts[b] += starts[b - 1];
      for (let i = 0; i < hashes.length; i++) {
        const at = starts[(hashes[i] >>> shift) & 0xff]++;
        toHashes[at] = hashes[i];
        toPositions[at] = positions[i];
      }
      [hashes, positions, toHashes, toPositions] = [toHashes, toPositions, hashes, positions];
    }
    // Four passes: the sorted pairs are back in the arrays the last pass read from first.
    [this.hashes, this.positions] = [hashes, positions];
    this.sorted = true;
  }
}
