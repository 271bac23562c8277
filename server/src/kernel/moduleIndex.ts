// The on-disk index of a folder of .ko files: what was read from each module (its modinfo,
// its problems, its symbol table) and which modules hold each symbol name, written once after
// the folder's modules were read and used instead of reading them while the folder's files keep
// their sizes and mtimes. A module's table is read from it when first asked for
// (objectTables.ts); the names stay in memory, in one buffer, for holders().
//
// The file: MAGIC, a u32 header length, the header (JSON), the sections it places (each
// module's table as JSON, the sorted names, their first-holder offsets, the holders), each
// with its SHA-256 in the header; the header's own SHA-256 ends the file. A file that does not
// check out is not used (and is written again).
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { defaultCacheDir } from '../common/cacheDir';
import { errorMessage, type Problem } from '../common/problem';
import type { ModuleFile } from './modinfo';
import { addSymbol, newObjectSymbols } from './objectSymbols';
import type { LazyTables } from './objectTables';
import type { ObjectSymbols, SymbolSource } from './types';

const MAGIC = Buffer.from('KLPMIDX1');
/** Bumped when the format or what a module read gives changes. */
const FORMAT = 1;

/** One module file of the folder, as the index's key names it. */
export interface IndexedFile {
  /** Relative to the folder. */
  path: string;
  size: number;
  mtimeMs: number;
}

/** What the index keeps of a module besides its table. */
export interface IndexedModule {
  name: string;
  /** Relative to the folder. */
  path: string;
  depends: string[];
  vermagic?: string;
  livepatch: boolean;
  problems: Problem[];
  /** A readable module file (a table and modinfo were read from it). */
  readable: boolean;
  /** Its table's section, when the file was a readable module. */
  table?: Section;
}

interface Section {
  offset: number;
  length: number;
  sha256: string;
}

interface Header {
  format: number;
  key: string;
  modules: IndexedModule[];
  names: Section;
  /** u32 per name and one past the last: where its holders start in `holders`. */
  starts: Section;
  /** u32 module positions. */
  holders: Section;
}

/** The default folder of the index files, in klp-lens' cache folder. */
export function defaultIndexDir(): string {
  return path.join(defaultCacheDir(), 'module-index');
}

/** Index files kept in a folder: the oldest beyond them are removed when one is written. */
const KEPT = 32;

/** The index file of a modules folder, in `indexDir`. */
export function indexFileOf(indexDir: string, modulesDir: string): string {
  return path.join(indexDir, `modules-${sha256(path.resolve(modulesDir)).slice(0, 20)}.idx`);
}

/** The key an index must carry to stand for these files: their paths, sizes and mtimes, and klp-lens's format. */
export function indexKey(files: readonly IndexedFile[]): string {
  return sha256(JSON.stringify([FORMAT, files.map((f) => [f.path, f.size, f.mtimeMs])]));
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The index of a folder's modules, made as they are read: each module's table is kept as the
 * bytes the index holds and its names as positions, so that the tables read need not stay in
 * memory until the index is written (4,023 modules: a 455 MB peak).
 */
export class IndexBuilder {
  private readonly chunks: Buffer[] = [];
  private offset = 0;
  private readonly holders = new Map<string, number[]>();
  private readonly modules: IndexedModule[];
  /** A module file could not be read: it may be next time, and no index keeps that. */
  unread = false;

  constructor(private readonly files: readonly IndexedFile[]) {
    this.modules = new Array(files.length);
  }

  /** The module read from files[position]. */
  add(position: number, m: ModuleFile): void {
    const entry = indexedModule(m, this.files[position].path);
    this.unread ||= m.problems.some((p) => p.code === 'unreadable-input');
    if (m.symbols) {
      entry.table = this.place(Buffer.from(JSON.stringify(tableJson(m.symbols))));
      // A name is one line of the names section (a crafted .ko may put a newline in one).
      for (const name of m.symbols.byName.keys()) {
        if (name.includes('\n')) continue;
        const list = this.holders.get(name);
        if (!list) this.holders.set(name, [position]);
        else list.push(position);
      }
    }
    this.modules[position] = entry;
  }

  /** Writes the index atomically (a temporary file renamed); the reason when it could not. */
  write(file: string, key: string): string | undefined {
    const names = [...this.holders.keys()].sort();
    const starts = new Uint32Array(names.length + 1);
    const positions: number[] = [];
    names.forEach((name, i) => {
      starts[i] = positions.length;
      for (const position of this.holders.get(name)!.sort((a, b) => a - b)) positions.push(position);
    });
    starts[names.length] = positions.length;
    const header: Header = {
      format: FORMAT,
      key,
      modules: this.modules,
      names: this.place(Buffer.from(names.join('\n'))),
      starts: this.place(Buffer.from(starts.buffer)),
      holders: this.place(Buffer.from(new Uint32Array(positions).buffer)),
    };
    const headerBytes = Buffer.from(JSON.stringify(header));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(headerBytes.length);
    const headerHash = Buffer.from(sha256(headerBytes), 'hex');
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(temporary, Buffer.concat([MAGIC, length, headerBytes, ...this.chunks, headerHash]));
      renameSync(temporary, file);
      removeOldest(path.dirname(file));
      return undefined;
    } catch (err) {
      rmSync(temporary, { force: true });
      return errorMessage(err);
    }
  }

  private place(bytes: Buffer): Section {
    this.chunks.push(bytes);
    const section = { offset: this.offset, length: bytes.length, sha256: sha256(bytes) };
    this.offset += bytes.length;
    return section;
  }
}

/** What the index keeps of a module read from `file` (relative to the folder), but its table. */
export function indexedModule(m: ModuleFile, file: string): IndexedModule {
  return {
    name: m.name,
    path: file,
    depends: m.modinfo.depends,
    livepatch: m.modinfo.livepatch,
    problems: m.problems,
    readable: m.symbols !== undefined,
    ...(m.modinfo.vermagic !== undefined ? { vermagic: m.modinfo.vermagic } : {}),
  };
}

/** The index files of a folder but the KEPT last written (one per modules folder: temporary folders of tests, kernels gone). */
function removeOldest(dir: string): void {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.idx'))
    .map((f) => ({ file: path.join(dir, f), mtime: statSync(path.join(dir, f), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { file } of files.slice(KEPT)) rmSync(file, { force: true });
}

/** A table as the index keeps it: its walk order, one [name, address, type, sourceFile?] per symbol. */
function tableJson(table: ObjectSymbols): unknown {
  const walk = [...table.byName.values()].flat().sort((a, b) => a.index - b.index);
  return { object: table.object, source: table.source, file: table.file, symbols: walk.map((e) => (e.sourceFile === undefined ? [e.name, e.address, e.type] : [e.name, e.address, e.type, e.sourceFile])) };
}

function tableFromJson(json: { object: string; source: SymbolSource; file: string; symbols: [string, string, string, string?][] }): ObjectSymbols {
  const table = newObjectSymbols(json.object, json.source, json.file);
  for (const [name, address, type, sourceFile] of json.symbols) addSymbol(table, name, address, type, sourceFile);
  return table;
}

/** The index in `file` when it carries `key` and checks out; undefined otherwise (absent, stale or corrupt). Reads its header and names only. */
export function openModuleIndex(file: string, key: string): ModuleIndex | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    return openIndexAt(fd, file, key);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function openIndexAt(fd: number, file: string, key: string): ModuleIndex | undefined {
  const size = fstatSync(fd).size;
  const read = (offset: number, length: number): Buffer | undefined => {
    if (offset < 0 || length < 0 || offset + length > size) return undefined;
    const bytes = Buffer.alloc(length);
    return readSync(fd, bytes, 0, length, offset) === length ? bytes : undefined;
  };
  const start = read(0, MAGIC.length + 4);
  if (!start?.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const bodyStart = MAGIC.length + 4 + start.readUInt32LE(MAGIC.length);
  const headerBytes = read(MAGIC.length + 4, bodyStart - MAGIC.length - 4);
  const headerHash = read(size - 32, 32);
  if (!headerBytes || !headerHash || bodyStart > size - 32 || sha256(headerBytes) !== headerHash.toString('hex')) return undefined;
  let header: Header;
  try {
    header = JSON.parse(headerBytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (header.format !== FORMAT || header.key !== key) return undefined;
  const section = (s: Section): Buffer | undefined => {
    const bytes = s.offset + s.length <= size - 32 - bodyStart ? read(bodyStart + s.offset, s.length) : undefined;
    return bytes && sha256(bytes) === s.sha256 ? bytes : undefined;
  };
  const [names, starts, holders] = [section(header.names), section(header.starts), section(header.holders)];
  if (!names || !starts || !holders) return undefined;
  return new ModuleIndex(file, bodyStart, header.modules, names, starts, holders);
}

/** An index opened: the modules, their tables read from the file when asked for, and the holders of each name. */
export class ModuleIndex implements LazyTables {
  private readonly byName = new Map<string, number>();
  /** Where each name starts in `names`, and one past the last. */
  private readonly nameStarts: Uint32Array;

  constructor(
    private readonly file: string,
    private readonly bodyStart: number,
    readonly modules: readonly IndexedModule[],
    private readonly sortedNames: Buffer,
    private readonly starts: Buffer,
    private readonly positions: Buffer,
  ) {
    const names = sortedNames;
    modules.forEach((m, i) => {
      if (m.table && !this.byName.has(m.name)) this.byName.set(m.name, i);
    });
    const count = starts.length / 4 - 1;
    this.nameStarts = new Uint32Array(count + 1);
    for (let i = 0, at = 0; i < count; i++) {
      this.nameStarts[i] = at;
      const end = names.indexOf(10, at);
      at = end < 0 ? names.length + 1 : end + 1;
    }
    this.nameStarts[count] = names.length + 1;
  }

  names(): Iterable<string> {
    return this.byName.keys();
  }

  read(name: string): ObjectSymbols | string {
    const position = this.byName.get(name);
    const section = position === undefined ? undefined : this.modules[position].table;
    if (!section) return `no table of ${name}`;
    const bytes = Buffer.alloc(section.length);
    let fd: number | undefined;
    try {
      fd = openSync(this.file, 'r');
      if (readSync(fd, bytes, 0, section.length, this.bodyStart + section.offset) !== section.length) return `${this.file} is shorter than its header says`;
    } catch (err) {
      return errorMessage(err);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    // Changed on disk since it was opened, or damaged: not trusted.
    if (sha256(bytes) !== section.sha256) return `the table of ${name} in ${this.file} does not match its checksum`;
    try {
      return tableFromJson(JSON.parse(bytes.toString('utf8')));
    } catch (err) {
      return errorMessage(err);
    }
  }

  holders(name: string, clones: boolean): string[] {
    const found = new Set<number>();
    const add = (i: number) => {
      for (let j = this.starts.readUInt32LE(4 * i); j < this.starts.readUInt32LE(4 * i + 4); j++) found.add(this.positions.readUInt32LE(4 * j));
    };
    const exact = this.lowerBound(name);
    if (exact < this.count && this.nameAt(exact) === name) add(exact);
    if (clones) {
      // `name.` up to `name/`: the names that continue with a dot ('/' follows '.').
      const end = this.lowerBound(`${name}/`);
      for (let i = this.lowerBound(`${name}.`); i < end; i++) add(i);
    }
    return [...found].sort((a, b) => a - b).map((i) => this.modules[i].name);
  }

  private get count(): number {
    return this.nameStarts.length - 1;
  }

  private nameAt(i: number): string {
    return this.sortedNames.toString('utf8', this.nameStarts[i], this.nameStarts[i + 1] - 1);
  }

  /** The first name not before `name` (names are in JavaScript's sort order). */
  private lowerBound(name: string): number {
    let [low, high] = [0, this.count];
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.nameAt(mid) < name) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
