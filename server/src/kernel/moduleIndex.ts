// The on-disk index of a folder of .ko files: what was read from each module (its modinfo,
// its problems, its symbol table) and which modules hold each symbol name, written once after
// the folder's modules were read (when the caller has time: the index answers from memory
// until then) and used instead of reading them while the folder's files keep their sizes,
// mtimes and ctimes. A module's table is read from it when first asked for
// (objectTables.ts), the names when holders() is first asked, and then kept in memory.
//
// The file (sectionFile.ts): the header (JSON) places the sections, each module's table as JSON
// and the sorted names with their holders in blocks of BLOCK names (JSON), the first name of
// each in the header: a look-up reads the block it falls in, not a full kernel's 408,000 names
// (15 MB to read and check, and to hold). A file whose header does not check out is not used
// (and is written again); a section that does not is not used either (objectTables.ts reads the
// tables another way).
import * as path from 'node:path';
import { defaultCacheDir } from '../common/cacheDir';
import { partitionPoint } from '../common/partitionPoint';
import { errorMessage, type Problem } from '../common/problem';
import type { ModuleFile } from './modinfo';
import { tableFromJson, tableJson, type TableJson } from './objectSymbols';
import type { LazyTables } from './objectTables';
import { cacheFileOf, canWriteCache, openSectionFile, SectionWriter, sha256, type Section, type SectionFile } from './sectionFile';
import type { ObjectSymbols } from './types';

const MAGIC = Buffer.from('KLPMIDX1');
/** Bumped when the format or what a module read gives changes. */
const FORMAT = 3;
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
 * The index of a folder's modules, made as they are read: each module's table is kept as the
 * bytes the index holds and its names as positions, so that the tables read need not stay in
 * memory until the index is written (4,023 modules: a 455 MB peak).
 */
export class IndexBuilder {
  private readonly sections = new SectionWriter();
  private readonly holders = new Map<string, number[]>();
  private readonly modules: IndexedModule[];
  /** Each module's table bytes, by position (the sections' own bytes, not a copy). */
  private readonly tables: Array<Buffer | undefined>;

  constructor(private readonly files: readonly IndexedFile[]) {
    this.modules = new Array(files.length);
    this.tables = new Array(files.length);
  }

  /** The module read from files[position]. */
  add(position: number, m: ModuleFile): void {
    const entry = indexedModule(m, this.files[position].path);
    if (m.symbols) {
      const bytes = Buffer.from(JSON.stringify(tableJson(m.symbols)));
      entry.table = this.sections.place(bytes);
      this.tables[position] = bytes;
      for (const name of m.symbols.byName.keys()) {
        const list = this.holders.get(name);
        if (!list) this.holders.set(name, [position]);
        else list.push(position);
      }
    }
    this.modules[position] = entry;
  }

  /**
   * The index of the modules added, answering from memory until write() is called: then from
   * the file written, the memory let go (or from memory still when the file cannot be written).
   */
  index(file: string, key: string): ModuleIndex {
    const index = new ModuleIndex(file, this.modules, new MemorySource(this.tables, this.holders));
    index.writeFile = () => {
      index.writeFile = undefined;
      const opened = this.write(file, key) === undefined ? openSectionFile(file, MAGIC) : undefined;
      if (opened) index.source = new FileSource(opened, opened.header as Header);
    };
    return index;
  }

  /** Writes the index atomically (a temporary file renamed); the reason when it could not. */
  private write(file: string, key: string): string | undefined {
    const names = [...this.holders.keys()].sort();
    const blocks: Header['blocks'] = [];
    for (let i = 0; i < names.length; i += BLOCK) {
      const block: Block = names.slice(i, i + BLOCK).map((name) => [name, this.holders.get(name)!.sort((a, b) => a - b)]);
      blocks.push({ first: names[i], section: this.sections.place(Buffer.from(JSON.stringify(block))) });
    }
    const header: Header = { format: FORMAT, key, modules: this.modules, blocks };
    return this.sections.write(file, MAGIC, header);
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

/** The index in `file` when it carries `key` and its header checks out; undefined otherwise (absent, stale or corrupt). Reads its header only. */
export function openModuleIndex(file: string, key: string): ModuleIndex | undefined {
  const opened = openSectionFile(file, MAGIC);
  const header = opened?.header as Header | undefined;
  return opened && header?.format === FORMAT && header.key === key ? new ModuleIndex(opened.file, header.modules, new FileSource(opened, header)) : undefined;
}

/** Where an index's tables and names are: its file, or the memory of the reading that makes it. */
interface IndexSource {
  /** The table bytes of the module at `position`, or why they cannot be read. */
  table(position: number): Buffer | string;
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
      if (m.table && !this.byName.has(m.name)) this.byName.set(m.name, i);
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
    const bytes = position === undefined ? `no table of ${name}` : this.source.table(position);
    if (typeof bytes === 'string') return bytes;
    try {
      return tableFromJson(JSON.parse(bytes.toString('utf8')) as TableJson);
    } catch (err) {
      return errorMessage(err);
    }
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
  ) {}

  table(position: number): Buffer | string {
    const table = this.header.modules[position]?.table;
    return table ? this.opened.section(table) : `no table at ${position}`;
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

/** The modules as read, before the index is written: the holders of a name by name; of its clones, from the names with a dot by the part before their first dot (made when first asked). */
class MemorySource implements IndexSource {
  private byBase: Map<string, string[]> | undefined;

  constructor(
    private readonly tables: ReadonlyArray<Buffer | undefined>,
    private readonly names: ReadonlyMap<string, number[]>,
  ) {}

  table(position: number): Buffer | string {
    return this.tables[position] ?? `no table at ${position}`;
  }

  invalidate(): void {
    // Nothing written yet.
  }

  holders(name: string, clones: boolean): Set<number> {
    const found = new Set(this.names.get(name));
    if (!clones) return found;
    const prefix = `${name}.`;
    const dot = name.indexOf('.');
    for (const clone of this.dotted().get(dot < 0 ? name : name.slice(0, dot)) ?? []) {
      if (clone.startsWith(prefix)) for (const p of this.names.get(clone)!) found.add(p);
    }
    return found;
  }

  private dotted(): Map<string, string[]> {
    if (this.byBase) return this.byBase;
    this.byBase = new Map();
    for (const name of this.names.keys()) {
      const dot = name.indexOf('.');
      if (dot < 0) continue;
      const base = name.slice(0, dot);
      const list = this.byBase.get(base);
      if (list) list.push(name);
      else this.byBase.set(base, [name]);
    }
    return this.byBase;
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
