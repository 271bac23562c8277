// The on-disk index of a folder of .ko files: what was read from each module (its modinfo,
// its problems, the parts of the file its symbol table is made from) and which modules hold
// each symbol name, written once after the folder's modules were read (when the caller has
// time: the index answers from memory until then) and used instead of reading them while the
// folder's files keep their sizes, mtimes and ctimes. A module's table is read from it when
// first asked for (objectTables.ts), the names when holders() is first asked, and then kept in
// memory.
//
// The file (sectionFile.ts): the header (JSON) places the sections, each module's symbol parts
// as read (elfSymbolParts.ts: its table is made from them as from the .ko, modinfo.ts
// moduleFromBytes()) and the sorted names with their holders in blocks of BLOCK names (JSON),
// the first name of each in the header: a look-up reads the block it falls in, not a full
// kernel's 408,000 names (15 MB to read and check, and to hold). A file whose header does not
// check out is not used (and is written again); a section that does not is not used either
// (objectTables.ts reads the tables another way).
import * as path from 'node:path';
import { defaultCacheDir } from '../common/cacheDir';
import { partitionPoint } from '../common/partitionPoint';
import { errorMessage, type Problem } from '../common/problem';
import { keptNames, keptNameTest, moduleFromBytes, type ModuleFile, type ModuleParts } from './modinfo';
import { hashBytes, hashName, NameHashes, type NameHashesState } from './nameHashes';
import type { LazyTables } from './objectTables';
import { cacheFileOf, canWriteCache, openSectionFile, SectionWriter, sha256, type Section, type SectionFile } from './sectionFile';
import type { ObjectSymbols } from './types';

const MAGIC = Buffer.from('KLPMIDX1');
/** Bumped when the format or what a module read gives changes. */
const FORMAT = 4;
/** Names a block of the names holds. */
const BLOCK = 1024;

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

interface Header {
  format: number;
  key: string;
  modules: IndexedModule[];
  /** The names in sorted blocks: each one's first name, and its section (Block). */
  blocks: { first: string; section: Section }[];
}

/** Names in JavaScript's sort order, each with the positions of the modules that hold it, ascending. */
type Block = [string, number[]][];

/** The default folder of the index files, in klp-lens' cache folder. */
export function defaultIndexDir(): string {
  return path.join(defaultCacheDir(), 'module-index');
}

/** The index file of a modules folder, in `indexDir`. */
export function indexFileOf(indexDir: string, modulesDir: string): string {
  return cacheFileOf(indexDir, 'modules', modulesDir);
}

/** The key an index must carry to stand for these files: their paths, sizes, mtimes and ctimes, and klp-lens's format. */
export function indexKey(files: readonly IndexedFile[]): string {
  return sha256(JSON.stringify([FORMAT, files.map((f) => [f.path, f.size, f.mtimeMs, f.ctimeMs])]));
}

/** Whether an index can be written to `file`'s folder (made when missing). */
export const canWriteIndex = canWriteCache;

/**
 * The index of a folder's modules, made as they are read: each module's symbol parts kept
 * (moduleFromBytes() makes its table when asked) and the hashes of the names it holds
 * (nameHashes.ts); the tables made, serialised, with the holders of each name, only when the
 * file is written, so that the first answers wait for neither (a full kernel: the tables of
 * 4,023 modules, 160 MB held, their 28 MB of JSON and a map of 408,000 names).
 */
export class IndexBuilder {
  private readonly modules: IndexedModule[];
  private readonly parts: Array<Buffer | undefined>;
  /** The hashes of the names the modules hold: this builder's, and those of the builders merged into it. */
  private readonly hashes: NameHashes[];
  /** The hashes of the part before the first dot of the names with one: `foo` of `foo.isra.0`. */
  private readonly baseHashes: NameHashes[];

  constructor(
    /** The module files as read (their tables' `file`). */
    private readonly paths: readonly string[],
    private readonly files: readonly IndexedFile[],
  ) {
    this.modules = new Array(files.length);
    this.parts = new Array(files.length);
    // Sized for a module's usual number of names (Debian 6.1's: 129 on average).
    this.hashes = [new NameHashes(128 * files.length)];
    this.baseHashes = [new NameHashes(8 * files.length)];
  }

  /** The name of a symbol the module at `position` holds, as its bytes. */
  addName(position: number, bytes: Uint8Array, start: number, end: number): void {
    this.hashes[0].add(hashBytes(bytes, start, end), position);
    const dot = bytes.indexOf(DOT, start);
    if (dot >= 0 && dot < end) this.baseHashes[0].add(hashBytes(bytes, start, dot), position);
  }

  /** The module read from files[position] (its names given to addName() first). */
  add(position: number, m: ModuleParts): void {
    this.modules[position] = indexedModule(m, this.files[position].path);
    this.parts[position] = m.parts;
  }

  /** The positions of the files not added yet. */
  missing(): number[] {
    return this.files.flatMap((_, position) => (this.modules[position] === undefined ? [position] : []));
  }

  /** What this builder read, to be sent to another thread (the parts' buffers transferable: each part owns its buffer, ModuleParts), its hashes sorted there. */
  share(): SharedModules {
    this.hashes[0].sort();
    this.baseHashes[0].sort();
    const modules: SharedModules['modules'] = [];
    this.modules.forEach((m, position) => m && modules.push([position, m, this.parts[position]?.buffer as ArrayBuffer | undefined]));
    return { modules, hashes: this.hashes[0].state(), baseHashes: this.baseHashes[0].state() };
  }

  /** Adds what another builder of the same files read (its share()). */
  merge(shared: SharedModules): void {
    for (const [position, m, parts] of shared.modules) {
      this.modules[position] = m;
      this.parts[position] = parts && Buffer.from(parts);
    }
    this.hashes.push(NameHashes.fromState(shared.hashes));
    this.baseHashes.push(NameHashes.fromState(shared.baseHashes));
  }

  /**
   * The index of the modules added, answering from memory until write() is called: then from
   * the file written, the memory let go (or from memory still when the file cannot be written).
   */
  index(file: string, key: string): ModuleIndex {
    const index = new ModuleIndex(file, this.modules, new MemorySource(this.parts, this.paths, this.hashes, this.baseHashes));
    index.writeFile = () => {
      index.writeFile = undefined;
      const opened = this.write(file, key) === undefined ? openSectionFile(file, MAGIC) : undefined;
      if (opened) index.source = new FileSource(opened, opened.header as Header, this.paths);
    };
    return index;
  }

  /** Writes the index atomically (a temporary file renamed); the reason when it could not. */
  private write(file: string, key: string): string | undefined {
    const sections = new SectionWriter();
    const holders = new Map<string, number[]>();
    const modules = this.modules.map((m, position) => {
      const parts = this.parts[position];
      if (!parts) return m;
      for (const name of keptNames(parts, this.paths[position])) {
        const list = holders.get(name);
        if (!list) holders.set(name, [position]);
        else if (list[list.length - 1] !== position) list.push(position);
      }
      return { ...m, table: sections.place(parts) };
    });
    const names = [...holders.keys()].sort();
    const blocks: Header['blocks'] = [];
    for (let i = 0; i < names.length; i += BLOCK) {
      const block: Block = names.slice(i, i + BLOCK).map((name) => [name, holders.get(name)!]);
      blocks.push({ first: names[i], section: sections.place(Buffer.from(JSON.stringify(block))) });
    }
    const header: Header = { format: FORMAT, key, modules, blocks };
    return sections.write(file, MAGIC, header);
  }
}

const DOT = '.'.charCodeAt(0);

/** What an IndexBuilder read, as sent between threads: each module read, by position, with its parts' buffer. */
export interface SharedModules {
  modules: Array<[number, IndexedModule, ArrayBuffer | undefined]>;
  hashes: NameHashesState;
  baseHashes: NameHashesState;
}

/** The table of a module made from its symbol parts, or why it cannot be. */
function tableOfParts(parts: Uint8Array, file: string): ObjectSymbols | string {
  const module = moduleFromBytes(parts, file);
  return module.symbols ?? module.problems.map((p) => p.message).join('; ');
}

/** What the index keeps of a module read from `file` (relative to the folder), but its table. */
export function indexedModule(m: ModuleFile | ModuleParts, file: string): IndexedModule {
  return {
    name: m.name,
    path: file,
    depends: m.modinfo.depends,
    livepatch: m.modinfo.livepatch,
    problems: m.problems,
    readable: ('symbols' in m && m.symbols !== undefined) || ('parts' in m && m.parts !== undefined),
    ...(m.modinfo.vermagic !== undefined ? { vermagic: m.modinfo.vermagic } : {}),
  };
}

/** The index in `file` when it carries `key` and its header checks out; undefined otherwise (absent, stale or corrupt). Reads its header only. */
export function openModuleIndex(file: string, key: string, paths: readonly string[]): ModuleIndex | undefined {
  const opened = openSectionFile(file, MAGIC);
  const header = opened?.header as Header | undefined;
  return opened && header?.format === FORMAT && header.key === key ? new ModuleIndex(opened.file, header.modules, new FileSource(opened, header, paths)) : undefined;
}

/** Where an index's tables and names are: its file, or the memory of the reading that makes it. */
interface IndexSource {
  /** The table of the module at `position`, or why it cannot be read. */
  table(position: number): ObjectSymbols | string;
  /** The positions of the modules holding `name` (with `clones`, `name.*` too), or why it cannot tell. */
  holders(name: string, clones: boolean): Set<number> | string;
  /** Makes the next load make the index again. */
  invalidate(): void;
}

/** An index: the modules, their tables read when asked for, and the holders of each name. */
export class ModuleIndex implements LazyTables {
  private readonly byName = new Map<string, number>();
  /** While the index was made from the modules and is not written (IndexBuilder.index()): writes its file, to answer from it after. */
  writeFile: (() => void) | undefined;

  constructor(
    readonly file: string,
    readonly modules: readonly IndexedModule[],
    public source: IndexSource,
  ) {
    this.modules.forEach((m, i) => {
      if (m.readable && !this.byName.has(m.name)) this.byName.set(m.name, i);
    });
  }

  names(): Iterable<string> {
    return this.byName.keys();
  }

  /** Makes the next load make the index again (SectionFile.invalidate()). */
  invalidate(): void {
    this.source.invalidate();
  }

  read(name: string): ObjectSymbols | string {
    const position = this.byName.get(name);
    return position === undefined ? `no table of ${name}` : this.source.table(position);
  }

  holders(name: string, clones: boolean): string[] | string {
    const found = this.source.holders(name, clones);
    if (typeof found === 'string') return found;
    // A module name given by several files is the first one's (as loadModuleFiles keeps it).
    return [...found].sort((a, b) => a - b).flatMap((i) => (this.byName.get(this.modules[i]?.name) === i ? [this.modules[i].name] : []));
  }
}

/** An index file opened: a table read when asked for, the names in the block a look-up falls in. */
class FileSource implements IndexSource {
  /** The blocks of names read, or why they cannot be trusted. */
  private readonly blocks = new Map<number, Block | string>();

  constructor(
    private readonly opened: SectionFile,
    private readonly header: Header,
    /** The module files the key stands for, in its order (their tables' `file`). */
    private readonly paths: readonly string[],
  ) {}

  table(position: number): ObjectSymbols | string {
    const table = this.header.modules[position]?.table;
    const parts = table ? this.opened.section(table) : `no table at ${position}`;
    return typeof parts === 'string' ? parts : tableOfParts(parts, this.paths[position]);
  }

  invalidate(): void {
    this.opened.invalidate();
  }

  holders(name: string, clones: boolean): Set<number> | string {
    const found = new Set<number>();
    const add = (positions: number[]) => positions.forEach((p) => found.add(p));
    let reason = this.scan(name, (n, positions) => {
      if (n === name) add(positions);
      return false;
    });
    const prefix = `${name}.`;
    if (clones) {
      reason ??= this.scan(prefix, (n, positions) => {
        if (!n.startsWith(prefix)) return false;
        add(positions);
        return true;
      });
    }
    return reason ?? found;
  }

  /** Hands `visit` the names from the first not before `key` on, with their holders, while it returns true; why a block cannot be read, if one cannot. */
  private scan(key: string, visit: (name: string, positions: number[]) => boolean): string | undefined {
    const blocks = this.header.blocks;
    // The block `key` falls in: the last whose first name is not after it.
    for (let b = Math.max(0, partitionPoint(blocks.length, (i) => blocks[i].first <= key) - 1); b < blocks.length; b++) {
      const block = this.block(b);
      if (typeof block === 'string') return block;
      for (let j = partitionPoint(block.length, (i) => block[i][0] < key); j < block.length; j++) if (!visit(block[j][0], block[j][1])) return undefined;
    }
    return undefined;
  }

  private block(i: number): Block | string {
    let block = this.blocks.get(i);
    if (block === undefined) {
      const bytes = this.opened.section(this.header.blocks[i].section);
      block = typeof bytes === 'string' ? bytes : parseBlock(bytes);
      this.blocks.set(i, block);
    }
    return block;
  }
}

/**
 * The modules as read, before the index is written: a table made from its module's symbol
 * parts when asked for; the holders of a name from the hashes of the names each module holds,
 * each candidate's parts checked for the name (keptNameTest()).
 */
class MemorySource implements IndexSource {
  private readonly tests = new Map<number, (name: string, clones: boolean) => boolean>();

  constructor(
    private readonly parts: ReadonlyArray<Buffer | undefined>,
    private readonly paths: readonly string[],
    private readonly hashes: readonly NameHashes[],
    private readonly baseHashes: readonly NameHashes[],
  ) {}

  table(position: number): ObjectSymbols | string {
    const parts = this.parts[position];
    return parts ? tableOfParts(parts, this.paths[position]) : `no table at ${position}`;
  }

  invalidate(): void {
    // Nothing written yet.
  }

  holders(name: string, clones: boolean): Set<number> {
    const found = new Set<number>();
    const check = (tables: readonly NameHashes[], key: string, withClones: boolean) => {
      for (const position of tables.flatMap((t) => t.candidates(hashName(key)))) if (!found.has(position) && this.keeps(position)?.(name, withClones)) found.add(position);
    };
    check(this.hashes, name, false);
    if (clones) {
      const dot = name.indexOf('.');
      check(this.baseHashes, dot < 0 ? name : name.slice(0, dot), true);
    }
    return new Set([...found].sort((a, b) => a - b));
  }

  /** The test of the names a module keeps (keptNameTest()), made when first asked. */
  private keeps(position: number): ((name: string, clones: boolean) => boolean) | undefined {
    let test = this.tests.get(position);
    const parts = this.parts[position];
    if (!test && parts) this.tests.set(position, (test = keptNameTest(parts, this.paths[position])));
    return test;
  }
}

/** A block's names, or why they are not what the index writes (a section that checks out holds what a writer of this format wrote). */
function parseBlock(bytes: Buffer): Block | string {
  try {
    const block: unknown = JSON.parse(bytes.toString('utf8'));
    const valid = Array.isArray(block) && block.every((e) => Array.isArray(e) && typeof e[0] === 'string' && Array.isArray(e[1]) && e[1].every(Number.isInteger));
    return valid ? (block as Block) : 'a block of names that is not one';
  } catch (err) {
    return errorMessage(err);
  }
}
