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
  keys: Uint32Array;
  heads: Int32Array;
  used: number;
  nodePositions: Int32Array;
  nodeNext: Int32Array;
  nodes: number;
}

/**
 * A multimap from hash to position: each hash once in an open-addressing table, its positions in
 * a list (a name such as `init_module` is held by thousands of modules), over typed arrays.
 */
export class NameHashes {
  private keys: Uint32Array;
  /** Each slot's first list node, -1 for an empty slot. */
  private heads: Int32Array;
  private used = 0;
  private nodePositions: Int32Array;
  private nodeNext: Int32Array;
  private nodes = 0;

  /** What a thread's hashes are sent as (their arrays' buffers transferable), and made again from. */
  state(): NameHashesState {
    return { keys: this.keys, heads: this.heads, used: this.used, nodePositions: this.nodePositions, nodeNext: this.nodeNext, nodes: this.nodes };
  }

  static fromState(state: NameHashesState): NameHashes {
    return Object.assign(new NameHashes(0), state);
  }

  /** Sized for about `expected` entries (it grows past them). */
  constructor(expected = 1024) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(1024, 2 * expected)));
    this.keys = new Uint32Array(size);
    this.heads = new Int32Array(size).fill(-1);
    this.nodePositions = new Int32Array(size / 2);
    this.nodeNext = new Int32Array(size / 2);
  }

  add(hash: number, position: number): void {
    if (2 * (this.used + 1) > this.keys.length) this.grow();
    const slot = this.slot(hash);
    const head = this.heads[slot];
    if (head === -1) this.used++;
    // Positions come in ascending order: the same name twice in a module is its list's head.
    else if (this.nodePositions[head] === position) return;
    this.keys[slot] = hash;
    this.heads[slot] = this.node(position, head);
  }

  /** The positions added with `hash`, ascending, each once. */
  candidates(hash: number): number[] {
    const found: number[] = [];
    for (let node = this.heads[this.slot(hash)]; node !== -1; node = this.nodeNext[node]) found.push(this.nodePositions[node]);
    return [...new Set(found)].sort((a, b) => a - b);
  }

  /** The slot holding `hash`, or the empty one where it goes. */
  private slot(hash: number): number {
    const mask = this.keys.length - 1;
    let i = hash & mask;
    while (this.heads[i] !== -1 && this.keys[i] !== hash) i = (i + 1) & mask;
    return i;
  }

  private node(position: number, next: number): number {
    if (this.nodes === this.nodePositions.length) {
      const [positions, nexts] = [this.nodePositions, this.nodeNext];
      this.nodePositions = new Int32Array(2 * positions.length);
      this.nodeNext = new Int32Array(2 * positions.length);
      this.nodePositions.set(positions);
      this.nodeNext.set(nexts);
    }
    this.nodePositions[this.nodes] = position;
    this.nodeNext[this.nodes] = next;
    return this.nodes++;
  }

  private grow(): void {
    const [keys, heads] = [this.keys, this.heads];
    this.keys = new Uint32Array(2 * keys.length);
    this.heads = new Int32Array(2 * keys.length).fill(-1);
    for (let i = 0; i < keys.length; i++) {
      if (heads[i] === -1) continue;
      const slot = this.slot(keys[i]);
      this.keys[slot] = keys[i];
      this.heads[slot] = heads[i];
    }
  }
}
