// The on-disk index of a folder of .ko files: what was read from each module (its modinfo,
// its problems, its symbol table) and which modules hold each symbol name, written once after
// the folder's modules were read and used instead of reading them while the folder's files keep
// their sizes, mtimes and ctimes. A module's table is read from it when first asked for
// (objectTables.ts), the names when holders() is first asked, and then kept in memory.
//
// The file: MAGIC, a u32 header length, the header (JSON), the sections it places (each
// module's table as JSON; the sorted names, where each starts, where its holders start, the
// holders), each with its SHA-256 in the header; the header's own SHA-256 ends the file. A file
// whose header does not check out is not used (and is written again); a section that does not
// is not used either (objectTables.ts reads the tables another way).
import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants, fstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { defaultCacheDir } from '../common/cacheDir';
import { partitionPoint } from '../common/partitionPoint';
import { errorMessage, type Problem } from '../common/problem';
import type { ModuleFile } from './modinfo';
import { addSymbol, newObjectSymbols } from './objectSymbols';
import type { LazyTables } from './objectTables';
import type { ObjectSymbols, SymbolSource } from './types';

const MAGIC = Buffer.from('KLPMIDX1');
/** Bumped when the format or what a module read gives changes. */
const FORMAT = 2;

/** One module file of the folder, as the index's key names it. */
export interface IndexedFile {
  /** Relative to the folder. */
  path: string;
  size: number;
  mtimeMs: number;
  /** Changed by chmod too: a module unreadable for its permissions is not kept so once they change. */
  ctimeMs: number;
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
  /** The names, sorted, each ended by a newline. */
  names: Section;
  /** u32 per name and one past the last: where it starts in `names`. */
  offsets: Section;
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

/** The key an index must carry to stand for these files: their paths, sizes, mtimes and ctimes, and klp-lens's format. */
export function indexKey(files: readonly IndexedFile[]): string {
  return sha256(JSON.stringify([FORMAT, files.map((f) => [f.path, f.size, f.mtimeMs, f.ctimeMs])]));
}

/** Whether an index can be written to `file`'s folder (made when missing). */
export function canWriteIndex(file: string): boolean {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    accessSync(path.dirname(file), constants.W_OK);
    return true;
  } catch {
    return false;
  }
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

  constructor(private readonly files: readonly IndexedFile[]) {
    this.modules = new Array(files.length);
  }

  /** The module read from files[position]. */
  add(position: number, m: ModuleFile): void {
    const entry = indexedModule(m, this.files[position].path);
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
    const offsets = new Uint32Array(names.length + 1);
    const positions: number[] = [];
    names.forEach((name, i) => {
      starts[i] = positions.length;
      offsets[i + 1] = offsets[i] + Buffer.byteLength(name) + 1;
      for (const position of this.holders.get(name)!.sort((a, b) => a - b)) positions.push(position);
    });
    starts[names.length] = positions.length;
    const header: Header = {
      format: FORMAT,
      key,
      modules: this.modules,
      names: this.place(Buffer.from(names.map((n) => `${n}\n`).join(''))),
      offsets: this.place(Buffer.from(offsets.buffer)),
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

/** The index in `file` when it carries `key` and its header checks out; undefined otherwise (absent, stale or corrupt). Reads its header only. */
export function openModuleIndex(file: string, key: string): ModuleIndex | undefined {
  return withFile(file, (read, size) => {
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
    return header.format === FORMAT && header.key === key ? new ModuleIndex(file, bodyStart, header) : undefined;
  });
}

type Reader = (offset: number, length: number) => Buffer | undefined;

/** `use` with a reader of `file`'s bytes (undefined past its end) and its size; undefined when it cannot be opened. */
function withFile<T>(file: string, use: (read: Reader, size: number) => T | undefined): T | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const read: Reader = (offset, length) => {
      if (offset < 0 || length < 0 || offset + length > size) return undefined;
      const bytes = Buffer.alloc(length);
      return readSync(fd!, bytes, 0, length, offset) === length ? bytes : undefined;
    };
    return use(read, size);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The sorted names and their holders, read when first asked for. */
interface Names {
  names: Buffer;
  /** u32 per name and one past the last: where it starts in `names`. */
  offsets: Buffer;
  starts: Buffer;
  holders: Buffer;
}

/** An index opened: the modules, their tables read from the file when asked for, and the holders of each name. */
export class ModuleIndex implements LazyTables {
  readonly modules: readonly IndexedModule[];
  private readonly byName = new Map<string, number>();
  /** The names' sections once read, or why they cannot be trusted. */
  private nameSections: Names | string | undefined;

  constructor(
    readonly file: string,
    private readonly bodyStart: number,
    private readonly header: Header,
  ) {
    this.modules = header.modules;
    this.modules.forEach((m, i) => {
      if (m.table && !this.byName.has(m.name)) this.byName.set(m.name, i);
    });
  }

  names(): Iterable<string> {
    return this.byName.keys();
  }

  /**
   * Makes the file fail the next open (its magic zeroed), so that the next load makes it again;
   * the sections stay readable meanwhile, each checked as it is read.
   */
  invalidate(): void {
    let fd: number | undefined;
    try {
      fd = openSync(this.file, 'r+');
      writeSync(fd, Buffer.alloc(MAGIC.length), 0, MAGIC.length, 0);
    } catch {
      // Gone or read-only: then it is not used again either way, or is made again once a module changes.
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  read(name: string): ObjectSymbols | string {
    const position = this.byName.get(name);
    const table = position === undefined ? undefined : this.modules[position].table;
    const bytes = table ? this.section(table) : `no table of ${name}`;
    if (typeof bytes === 'string') return bytes;
    try {
      return tableFromJson(JSON.parse(bytes.toString('utf8')));
    } catch (err) {
      return errorMessage(err);
    }
  }

  holders(name: string, clones: boolean): string[] | string {
    const names = (this.nameSections ??= this.readNames());
    if (typeof names === 'string') return names;
    const { starts, holders } = names;
    const found = new Set<number>();
    const add = (i: number) => {
      for (let j = starts.readUInt32LE(4 * i); j < starts.readUInt32LE(4 * i + 4); j++) found.add(holders.readUInt32LE(4 * j));
    };
    const exact = lowerBound(names, name);
    if (exact < count(names) && nameAt(names, exact) === name) add(exact);
    if (clones) {
      // `name.` up to `name/`: the names that continue with a dot ('/' follows '.').
      const end = lowerBound(names, `${name}/`);
      for (let i = lowerBound(names, `${name}.`); i < end; i++) add(i);
    }
    // A module name given by several files is the first one's (as loadModuleFiles keeps it).
    return [...found].sort((a, b) => a - b).flatMap((i) => (this.byName.get(this.modules[i].name) === i ? [this.modules[i].name] : []));
  }

  private readNames(): Names | string {
    const [names, offsets, starts, holders] = [this.header.names, this.header.offsets, this.header.starts, this.header.holders].map((s) => this.section(s));
    for (const part of [names, offsets, starts, holders]) if (typeof part === 'string') return part;
    return { names, offsets, starts, holders } as Names;
  }

  /** A section's bytes, or why they cannot be trusted: the file changed on disk since it was opened, or is damaged. */
  private section(s: Section): Buffer | string {
    const bytes = withFile(this.file, (read, size) => (s.offset + s.length <= size - 32 - this.bodyStart ? read(this.bodyStart + s.offset, s.length) : undefined));
    if (!bytes) return `${this.file} is shorter than its header says, or gone`;
    return sha256(bytes) === s.sha256 ? bytes : `a section of ${this.file} does not match its checksum`;
  }
}

/** The first name not before `name` (names are in JavaScript's sort order). */
function lowerBound(names: Names, name: string): number {
  return partitionPoint(count(names), (i) => nameAt(names, i) < name);
}

function count(names: Names): number {
  return names.offsets.length / 4 - 1;
}

function nameAt(names: Names, i: number): string {
  return names.names.toString('utf8', names.offsets.readUInt32LE(4 * i), names.offsets.readUInt32LE(4 * i + 4) - 1);
}
