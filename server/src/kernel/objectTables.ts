// The symbol tables of the target kernel's objects, by object name. Most are read when the
// kernel is loaded (vmlinux, the modules of kallsyms); a module's .ko table is read when first
// asked for, from the on-disk module index (moduleIndex.ts), so that a check of one livepatch
// against a full distribution kernel holds the few tables it uses, not all 4,000.
import { LazyMap } from './lazyMap';
import { SortedMap } from './sortedLines';

/** One symbol of an object, in the order klp_find_object_symbol walks them. */
export interface SymbolEntry {
  name: string;
  /** Address (kallsyms / System.map) or st_value (ELF), as a hex string without 0x. */
  address: string;
  /** nm-style type letter for kallsyms/System.map ('t', 'T', 'd', ...); 'FUNC', 'OBJECT', ... for ELF. */
  type: string;
  /** 0-based index in the walk order of its object. */
  index: number;
  /**
   * A local symbol's source file, when a symbol table with STT_FILE symbols tells (an ELF
   * vmlinux, from a build tree or a -dbg package, or a .ko not stripped of them): the name
   * the compiler wrote, a basename such as `hashtab.c`.
   */
  sourceFile?: string;
}

export type SymbolSource = 'kallsyms' | 'system-map' | 'elf';

/** The symbol table of one object (vmlinux or a module). */
export interface ObjectSymbols {
  object: string;
  source: SymbolSource;
  /** The file it was read from. */
  file: string;
  /** Every occurrence of each name, in walk order. */
  byName: Map<string, SymbolEntry[]>;
  count: number;
}

/** Where the tables not read yet come from: each by name, and the objects holding a symbol name. */
export interface LazyTables {
  /** The modules it has a table of. */
  names(): Iterable<string>;
  /** The table of a module it lists, or why it cannot be read (it never throws). */
  read(name: string): ObjectSymbols | string;
  /** The modules whose table holds `name` (with `clones`, `name.*` too: `foo.isra.0`, `foo.cold`), or why it cannot tell. */
  holders(name: string, clones: boolean): string[] | string;
}

export class ObjectTables extends LazyMap<string, ObjectSymbols> {
  private lazy: LazyTables | undefined;
  private lost: ((subject: string, reason: string) => void) | undefined;
  /** The lazy tables not read yet, and not shadowed by a table set here. */
  private readonly pending = new Set<string>();
  /** The lazy tables read. */
  private readonly read = new Set<string>();
  /** Each base name (`foo` of `foo.isra.0`) of a name with a dot and the tables set here that hold one; made when first asked. */
  private setHere: Map<string, string[]> | undefined;

  /** Adds the tables of `source` that no table set here already gives; `lost` hears of what it could not read. */
  addLazy(source: LazyTables, lost: (subject: string, reason: string) => void): void {
    this.lazy = source;
    this.lost = lost;
    for (const name of source.names()) if (!super.has(name)) this.pending.add(name);
  }

  override get(name: string): ObjectSymbols | undefined {
    const table = super.get(name);
    if (table || !this.pending.has(name)) return table;
    this.pending.delete(name);
    const lazyTable = this.lazy?.read(name);
    if (typeof lazyTable === 'string') {
      this.lost?.(`the symbol table of ${name}`, lazyTable);
      return undefined;
    }
    if (lazyTable) {
      super.set(name, lazyTable);
      this.read.add(name);
    }
    return lazyTable;
  }

  override has(name: string): boolean {
    return super.has(name) || this.pending.has(name);
  }

  override set(name: string, table: ObjectSymbols): this {
    // Map's constructor calls set() before the fields exist.
    this.pending?.delete(name);
    this.read?.delete(name);
    this.setHere = undefined;
    return super.set(name, table);
  }

  /** The tables not read yet. */
  get unread(): number {
    return this.pending.size;
  }

  override get size(): number {
    return super.size + this.pending.size;
  }

  /**
   * The objects whose table holds the symbol `name` (with `clones`, a compiler clone of it
   * too), vmlinux first, then in the order the tables were added; without reading a lazy table.
   */
  holders(name: string, clones = false): string[] {
    const clonesHere = clones ? (this.setHere ??= this.dottedNames()).get(name) : undefined;
    const here = [...this.madeValues()]
      .filter((t) => !this.read.has(t.object) && (!clones ? t.byName.has(name) : t.byName instanceof SortedMap ? holdsBase(t.byName, name) : !name.includes('.') && (t.byName.has(name) || clonesHere?.includes(t.object))))
      .map((t) => t.object);
    let lazy = this.lazy?.holders(name, clones) ?? [];
    if (typeof lazy === 'string') {
      // The index cannot tell: every table read and asked (each checked as it is read).
      this.lost?.('which modules hold each symbol name', lazy);
      this.fillAll();
      this.lazy = undefined;
      this.read.clear();
      this.setHere = undefined;
      return this.holders(name, clones);
    }
    lazy = lazy.filter((o) => this.pending.has(o) || this.read.has(o));
    return [...here, ...lazy].sort((a, b) => Number(b === 'vmlinux') - Number(a === 'vmlinux'));
  }

  /** By base name (`foo` of `foo.isra.0`), the tables set here holding a name with a dot, but those searched in place (a SortedMap: vmlinux's from the cache, artifactIndex.ts). */
  private dottedNames(): Map<string, string[]> {
    const index = new Map<string, string[]>();
    for (const table of this.madeValues()) {
      if (this.read.has(table.object) || table.byName instanceof SortedMap) continue;
      for (const symbol of table.byName.keys()) {
        const dot = symbol.indexOf('.');
        if (dot < 0) continue;
        const base = symbol.slice(0, dot);
        const list = index.get(base);
        if (!list) index.set(base, [table.object]);
        else if (list[list.length - 1] !== table.object) list.push(table.object);
      }
    }
    return index;
  }

  /** Every table, the lazy ones read: the cost of reading all; holders() answers most questions without it. */
  protected override fillAll(): void {
    for (const name of [...this.pending]) this.get(name);
  }
}

/** Whether `byName` has `name` as a base name (`foo` of `foo.isra.0`): the name itself, or one that continues with a dot. */
function holdsBase(byName: SortedMap<unknown>, name: string): boolean {
  return !name.includes('.') && (byName.has(name) || byName.hasKeyWithPrefix(`${name}.`));
}
