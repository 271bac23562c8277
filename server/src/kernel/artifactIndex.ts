// The on-disk cache of the kernel's text artifacts as parsed: kallsyms or System.map (vmlinux's
// symbol table, and the tables of kallsyms' [module] lines), Module.symvers (the exports), the
// .config (its options) and the module lists, one cache file per artifact beside the module index (moduleIndex.ts). A full
// distribution kernel's kallsyms.xz and Module.symvers.xz took some 200 ms to decompress and
// parse at every load (and 120,000 names into Maps the garbage collector then walks); from the
// cache, vmlinux's table and the exports are sorted lines (sortedLines.ts) searched in place, a
// name decoded when asked for.
//
// A cache file stands for its artifact while the artifact's path, size, mtime and ctime and the
// read limits are the ones its key names; it is made again otherwise. Its sections are read and
// checked against their SHA-256 when it is opened (sectionFile.ts): a damaged one is never used,
// the artifact is read instead and the cache written again.
import { statSync } from 'node:fs';
import * as path from 'node:path';
import type { ReadLimits } from '../common/fileRead';
import type { Problem } from '../common/problem';
import { parseConfig, type ParsedConfig } from './config';
import { parseKallsyms, type KallsymsIndex, type KallsymsSource } from './kallsyms';
import { parseBuiltinModinfo, parseModuleList, type ListedModule } from './modulesList';
import { tableFromJson, tableJson, type TableJson } from './objectSymbols';
import { cacheFileOf, canWriteCache, openSectionFile, SectionWriter, sha256, type Section } from './sectionFile';
import { SortedLines, SortedMap, sortedLines } from './sortedLines';
import { parseSymvers, type SymversIndex } from './symvers';
import { moduleNameOf, type ExportedSymbol, type ObjectSymbols, type SymbolEntry } from './types';

const MAGIC = Buffer.from('KLPAIDX1');
/** Bumped when the format or what a parse gives changes. */
const FORMAT = 3;

/** An artifact as a load uses it, read or from the cache. */
export interface ArtifactReading<T> {
  /** The kind of artifact, which names its cache files. */
  kind: string;
  parse(bytes: Buffer, file: string): T;
  /** What `parse` gave as the cache keeps it, or undefined when it cannot keep it. */
  toCache(parsed: T): CacheContent | undefined;
  fromCache(content: OpenedContent): T;
}

/** What a cache file keeps of a parse: sorted lines whose values start with their rank (sortedLines.ts SortedMap). */
export interface CacheContent {
  lines: Map<string, string>;
  problems: Problem[];
  /** Whatever else the parse gives, as JSON. */
  extra: unknown;
}

interface OpenedContent {
  lines: SortedLines;
  problems: Problem[];
  extra: unknown;
}

interface Header {
  format: number;
  key: string;
  problems: Problem[];
  extra: unknown;
  lines: Section;
  offsets: Section;
}

/**
 * The key a cache of `file` must carry: its path (as given too: the parse's problems and tables
 * name the file so), size, mtime and ctime, the limits it is read within, klp-lens's format.
 * Undefined when it is no regular file. Taken before the file is read, so that a file changed
 * meanwhile is not cached under its new key.
 */
export function artifactKey(reading: ArtifactReading<unknown>, file: string, limits: ReadLimits): string | undefined {
  const st = statSync(file, { throwIfNoEntry: false });
  if (!st?.isFile()) return undefined;
  return sha256(JSON.stringify([FORMAT, reading.kind, path.resolve(file), file, st.size, st.mtimeMs, st.ctimeMs, limits.kernelBytes, limits.decompressedBytes]));
}

/** The parse of `file` from its cache in `indexDir`, when the cache carries `key` (artifactKey()) and checks out. */
export function fromArtifactCache<T>(reading: ArtifactReading<T>, indexDir: string, file: string, key: string): T | undefined {
  const opened = openSectionFile(cacheFileOf(indexDir, reading.kind, file), MAGIC);
  const header = opened?.header as Header | undefined;
  if (!opened || header?.format !== FORMAT || header.key !== key) return undefined;
  const text = opened.section(header.lines);
  const offsets = opened.section(header.offsets);
  if (typeof text === 'string' || typeof offsets === 'string') return undefined;
  try {
    return reading.fromCache({ lines: new SortedLines({ text, offsets }), problems: header.problems, extra: header.extra });
  } catch {
    // A header that checks out but holds what this version does not read (written by a bug): read the file.
    return undefined;
  }
}

/** Writes the cache of `file`'s parse, under the key taken before it was read, into `indexDir` (nothing when it cannot be written: the next load reads the file again). */
export function writeArtifactCache<T>(reading: ArtifactReading<T>, indexDir: string, file: string, key: string, parsed: T): void {
  const content = reading.toCache(parsed);
  const cacheFile = cacheFileOf(indexDir, reading.kind, file);
  if (!content || !canWriteCache(cacheFile)) return;
  const bytes = sortedLines([...content.lines.keys()].sort(), (key) => content.lines.get(key));
  const sections = new SectionWriter();
  const header: Header = { format: FORMAT, key, problems: content.problems, extra: content.extra, lines: sections.place(bytes.text), offsets: sections.place(bytes.offsets) };
  sections.write(cacheFile, MAGIC, header);
}

/** Whether a key or a field can stand in a line of tab-separated fields. */
function plain(text: string): boolean {
  return !/[\t\n]/.test(text);
}

/**
 * Each key's line `rank\tfield\t...` (sortedLines.ts SortedMap), ranked in the order given;
 * undefined when a key or a field cannot stand in such a line (the file is then not cached).
 */
function rankedLines(entries: ReadonlyArray<[string, string[]]>): Map<string, string> | undefined {
  const lines = new Map<string, string>();
  for (const [key, fields] of entries) {
    if (!plain(key) || !fields.every(plain)) return undefined;
    lines.set(key, [lines.size, ...fields].join('\t'));
  }
  return lines;
}

/** kallsyms or System.map: vmlinux's table as lines `name`, `rank\tindex address type\t...`; the [module] tables as JSON. */
export function kallsymsReading(source: KallsymsSource): ArtifactReading<KallsymsIndex> {
  return {
    kind: source,
    parse: (bytes, file) => parseKallsyms(bytes.toString('utf8'), file, source),
    toCache(parsed) {
      const lines = new Map<string, string>();
      for (const [name, entries] of parsed.vmlinux.byName) {
        if (!plain(name) || entries.some((e) => !plain(e.type) || e.type.includes(' ') || e.sourceFile !== undefined)) return undefined;
        lines.set(name, `${entries[0].index}\t${entries.map((e) => `${e.index} ${e.address} ${e.type}`).join('\t')}`);
      }
      const { object, source: kind, file, count } = parsed.vmlinux;
      return { lines, problems: parsed.problems, extra: { vmlinux: { object, source: kind, file, count }, modules: [...parsed.modules.values()].map(tableJson) } };
    },
    fromCache({ lines, problems, extra }) {
      const { vmlinux, modules } = extra as { vmlinux: Omit<ObjectSymbols, 'byName'>; modules: TableJson[] };
      const byName = new SortedMap<SymbolEntry[]>(lines, (value, name) =>
        value.split('\t').map((part) => {
          const [index, address, type] = part.split(' ');
          return { name, address, type, index: Number(index) };
        }),
      );
      return { vmlinux: { ...vmlinux, byName }, modules: new Map(modules.map((t) => [t.object, tableFromJson(t)])), problems };
    },
  };
}

/** Module.symvers: the exports as lines `symbol`, `rank\tcrc\tpath\texport type\tnamespace`, the exporting modules as JSON. */
export function symversReading(): ArtifactReading<SymversIndex> {
  return {
    kind: 'symvers',
    parse: (bytes, file) => parseSymvers(bytes.toString('utf8'), file),
    toCache(parsed) {
      const lines = rankedLines([...parsed.exports.values()].map((e) => [e.symbol, [e.crc, e.path, e.exportType, e.namespace]]));
      return lines && { lines, problems: parsed.problems, extra: { modules: parsed.modules } };
    },
    fromCache({ lines, problems, extra }) {
      const { modules } = extra as { modules: [string, string][] };
      const exports = new ExportsMap(lines, modules);
      return { exports, modules, problems };
    },
  };
}

/** The exports from the cache, and the modules they name (symvers.ts exportingModules() reads them without decoding every export). */
class ExportsMap extends SortedMap<ExportedSymbol> {
  constructor(
    lines: SortedLines,
    readonly modules: [string, string][],
  ) {
    super(lines, (value, symbol) => {
      const [crc, file, exportType, namespace] = value.split('\t');
      return { symbol, crc, object: file === 'vmlinux' ? 'vmlinux' : moduleNameOf(file), path: file, exportType, namespace };
    });
  }
}

/** The .config: its options as lines `CONFIG_X`, `rank\tvalue` (config.xz is 10,000 lines to decompress and read). */
export function configReading(): ArtifactReading<ParsedConfig> {
  return {
    kind: 'config',
    parse: (bytes, file) => parseConfig(bytes.toString('utf8'), file),
    toCache(parsed) {
      const lines = rankedLines([...parsed.config].map(([name, value]) => [name, [value]]));
      return lines && { lines, problems: parsed.problems, extra: parsed.kernelVersion ?? null };
    },
    fromCache: ({ lines, problems, extra }) => ({ config: new SortedMap<string>(lines, (value) => value), problems, ...(typeof extra === 'string' ? { kernelVersion: extra } : {}) }),
  };
}

/** A small artifact whose parse the cache keeps whole, as JSON in its header. */
function jsonReading<T>(kind: string, parse: (bytes: Buffer) => T): ArtifactReading<{ value: T; problems: Problem[] }> {
  return {
    kind,
    parse: (bytes) => ({ value: parse(bytes), problems: [] }),
    toCache: ({ value }) => ({ lines: new Map(), problems: [], extra: value }),
    fromCache: ({ extra }) => ({ value: extra as T, problems: [] }),
  };
}

/** modules.order or modules.builtin: each module listed (the xz of a distribution's, at every load, cost more than its reading). */
export function moduleListReading(kind: 'list-order' | 'list-builtin'): ArtifactReading<{ value: ListedModule[]; problems: Problem[] }> {
  return jsonReading(kind, (bytes) => parseModuleList(bytes.toString('utf8')));
}

/** modules.builtin.modinfo: the modules that have a `file=` entry (the top Makefile makes modules.builtin of these). */
export function builtinModinfoReading(): ArtifactReading<{ value: string[]; problems: Problem[] }> {
  return jsonReading('list-builtin-modinfo', (bytes) => [...parseBuiltinModinfo(bytes)].filter(([, pairs]) => pairs.some(([key]) => key === 'file')).map(([name]) => name));
}
