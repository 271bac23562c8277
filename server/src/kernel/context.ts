// Gathers what is known of the target kernel from the files the user has: a kernel build
// directory, /lib/modules/<release>/build, or a folder of artifacts (possibly compressed),
// plus files named one by one. Never throws: what cannot be read becomes a problem.
import { statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { errorMessage, problem, type Problem, type Severity } from '../common/problem';
import { FILE_START } from '../common/range';
import { DEFAULT_LIMITS, readRegularFile, systemReason, type ReadLimits } from '../common/fileRead';
import { kernelCapabilities, type KernelCapabilities } from './capabilities';
import { bestVersion, makefileVersion, parseKernelVersion } from './kernelVersion';
import { TimeSlices } from '../common/timeSlices';
import { artifactKey, builtinModinfoReading, configReading, fromArtifactCache, kallsymsReading, moduleListReading, symversReading, writeArtifactCache, type ArtifactReading } from './artifactIndex';
import { readKernelFile } from './compressed';
import { createKbuildResolver } from './kbuild';
import { readModuleFile, type ModuleFile } from './modinfo';
import { childPath, moduleFilesOf } from './moduleFolder';
import type { CacheWrites } from './cacheWrites';
import { canWriteIndex, defaultIndexDir, indexedModule, indexFileOf, indexKey, openModuleIndex, type IndexedFile, type IndexedModule, type ModuleIndex } from './moduleIndex';
import { startModuleReading, type ModuleReading } from './moduleReading';
import { emptyKernelContext, type KernelContext, type ModuleInfo, type ObjectSymbols } from './types';
import { NOT_ELF } from './elf';
import { readElfSymbolParts } from './elfSymbolParts';
import { addSourceFiles } from './symbolSourceFiles';
import { vmlinuxFromBytes, vmlinuxFromElf, type VmlinuxFile } from './vmlinuxElf';

export interface KernelOptions {
  /** A kernel build directory, /lib/modules/<release>/build, or a folder of the kernel's artifacts. */
  kernel?: string;
  /** The kernel source tree. */
  source?: string;
  symvers?: string;
  /** A copy of /proc/kallsyms. */
  kallsyms?: string;
  systemMap?: string;
  /**
   * An ELF vmlinux with its symbol table: a build tree's, or Debian's linux-image-<release>-dbg
   * (/usr/lib/debug/boot/vmlinux-<release>, found by itself). With kallsyms or System.map it
   * names the source file of each static function's occurrences; alone it is the symbol table.
   */
  vmlinux?: string;
  /** How much is read and walked (common/fileRead.ts); DEFAULT_LIMITS when absent. */
  limits?: ReadLimits;
  /** A folder holding the kernel's .ko files (any depth). */
  modules?: string;
  config?: string;
  /**
   * Where the index of the modules folder (kernel/moduleIndex.ts) and the caches of kallsyms,
   * System.map, Module.symvers, the .config and the module lists (kernel/artifactIndex.ts) are kept; false: none. Default: defaultIndexDir().
   */
  indexDir?: string | false;
  /** Where the cache writes wait for the caller to have time (CacheWrites.flush()); written during the load when absent. */
  cacheWrites?: CacheWrites;
  /** The target kernel's version (6.1.192, or a release such as 6.1.0-56-amd64), over what its files say (kernelVersion.ts). */
  version?: string;
}

/** The cache folder, and how a write into it is done: now, or kept for the caller. */
interface Caches {
  dir: string;
  write(job: () => void): void;
}

const COMPRESSED_SUFFIXES = ['', '.xz', '.zst', '.gz'];
/** Module files are read for this long (ms) before the event loop gets a turn. */
const SLICE_MS = 10;

/** Where each artifact may be, when not named explicitly. */
interface Layout {
  release?: string;
  symvers: string[];
  kallsyms: string[];
  systemMap: string[];
  vmlinux: string[];
  config: string[];
  modulesOrder: string[];
  modulesBuiltin: string[];
  builtinModinfo: string[];
  kernelRelease: string[];
  source: string[];
  modulesDir?: string;
}

export async function loadKernelContext(options: KernelOptions): Promise<KernelContext> {
  const context = emptyKernelContext();
  try {
    await load(options, context);
  } catch (err) {
    // Not expected: every reader returns problems. Kept so that a bug cannot stop the caller.
    context.problems.push(inputProblem(options.kernel ?? '', 'error', `cannot load the kernel context: ${errorMessage(err)}`));
  }
  return context;
}

async function load(options: KernelOptions, context: KernelContext): Promise<void> {
  const problems = context.problems;
  const layout = await discover(options.kernel, problems);

  const limits = options.limits ?? DEFAULT_LIMITS;
  const indexDir = options.indexDir === false ? undefined : (options.indexDir ?? defaultIndexDir());
  const writes = options.cacheWrites;
  const caches: Caches | undefined = indexDir === undefined ? undefined : { dir: indexDir, write: (job) => (writes ? writes.add(job) : job()) };
  // The modules folder is walked, and a first reading of it started in a thread of its own, before
  // the other artifacts are read; what it finds is told after them, in the order of a reading in turn.
  const modulesProblems: Problem[] = [];
  const modulesDir = options.modules !== undefined ? await explicitDir('modules folder', options.modules, modulesProblems) : layout.modulesDir;
  const modules = modulesDir === undefined ? undefined : startModuleFiles(modulesDir, modulesProblems, limits, options.modules !== undefined ? 'error' : 'warning', caches);

  const releaseText = await readFound(layout.kernelRelease, problems, limits);
  context.release = layout.release ?? (releaseText && releaseOf(releaseText.text.toString('utf8'))) ?? undefined;

  const symvers = await readParsed('Module.symvers', options.symvers, layout.symvers, problems, limits, symversReading(), caches);
  if (symvers) {
    problems.push(...symvers.problems);
    context.exports = symvers.exports;
    context.has.symvers = symvers.exports.size > 0;
    for (const [, object] of symvers.modules) knownModule(context, object);
  }

  await loadSymbolTables(options, layout, context, limits, caches);

  const config = await readParsed('.config', options.config, layout.config, problems, limits, configReading(), caches);
  if (config) {
    problems.push(...config.problems);
    context.config = config.config;
    context.configFile = config.file;
    context.has.config = config.config.size > 0;
  }

  const sourceDir = options.source !== undefined ? await explicitDir('source tree', options.source, problems) : await firstSourceTree(layout.source);
  if (sourceDir) {
    context.sourceDir = sourceDir;
    context.kbuild = createKbuildResolver(sourceDir, context.config);
    context.has.source = true;
  }

  await loadModuleLists(layout, context, limits, caches);
  problems.push(...modulesProblems);
  if (modules) await finishModuleFiles(modules, context, limits);
  context.capabilities = capabilitiesOf(options, context, config?.kernelVersion, limits);
}

/**
 * What the target's livepatch core does (capabilities.ts): decided by the source tree's own code
 * where it has the deciding lines, else by the version the setting, the source tree's Makefile,
 * the .config's header or the release says, in that order (kernelVersion.ts bestVersion()).
 */
function capabilitiesOf(options: KernelOptions, context: KernelContext, configVersion: string | undefined, limits: ReadLimits): KernelCapabilities {
  const sourceDir = context.sourceDir;
  // Each file once: several rules read kernel/livepatch/core.c and include/linux/livepatch.h.
  const texts = new Map<string, string | undefined>();
  const read = sourceDir
    ? (file: string) => {
        if (!texts.has(file)) {
          const found = readRegularFile(path.join(sourceDir, file), limits.textBytes);
          texts.set(file, found.ok ? found.bytes.toString('utf8') : undefined);
        }
        return texts.get(file);
      }
    : undefined;
  const makefile = read?.('Makefile');
  const setting = options.version === undefined ? undefined : parseKernelVersion(options.version, 'the kernel version setting');
  if (options.version !== undefined && !setting) context.problems.push(inputProblem('', 'warning', `the kernel version setting "${options.version}" is no kernel version (like 6.1.192 or 6.1.0-56-amd64): not used`));
  const version = bestVersion([
    setting,
    makefile === undefined ? undefined : makefileVersion(makefile, "the source tree's Makefile"),
    configVersion === undefined ? undefined : parseKernelVersion(configVersion, "the .config's header"),
    context.release === undefined ? undefined : parseKernelVersion(context.release, 'the kernel release'),
  ]);
  return kernelCapabilities(version && context.release ? { ...version, release: context.release } : version, read);
}

/**
 * vmlinux from kallsyms (preferred: it is what the kernel walks), System.map, or else the
 * symbol table of a vmlinux ELF file; modules from kallsyms [mod] lines. An explicit
 * kallsyms or System.map turns discovery off for all three. A vmlinux ELF file beside
 * kallsyms or System.map gives the source files of names that occur more than once.
 */
async function loadSymbolTables(options: KernelOptions, layout: Layout, context: KernelContext, limits: ReadLimits, caches: Caches | undefined): Promise<void> {
  const problems = context.problems;
  const explicit = options.kallsyms !== undefined || options.systemMap !== undefined;
  const kallsyms = await readParsed('kallsyms', options.kallsyms, explicit ? [] : layout.kallsyms, problems, limits, kallsymsReading('kallsyms'), caches);
  // An explicit System.map beside kallsyms is not used, but must be readable still.
  if (kallsyms && options.systemMap !== undefined) await readInput('System.map', options.systemMap, [], problems, limits);
  const parsed = kallsyms ?? (await readParsed('System.map', options.systemMap, explicit ? [] : layout.systemMap, problems, limits, kallsymsReading('system-map'), caches));
  const vmlinuxCandidates = [...(explicit ? [] : layout.vmlinux), ...debugVmlinux(context.release)];
  const vmlinuxFile = await inputFile('vmlinux', options.vmlinux, vmlinuxCandidates, problems);
  const vmlinux = vmlinuxFile === undefined ? undefined : await readVmlinux(vmlinuxFile, limits);
  if (vmlinux) problems.push(...vmlinux.problems);
  if (!parsed) {
    if (vmlinux?.symbols) useVmlinuxSymbols(context, vmlinux.symbols);
    return;
  }
  problems.push(...parsed.problems);
  useVmlinuxSymbols(context, parsed.vmlinux);
  if (vmlinux?.symbols) {
    const { named, differing } = addSourceFiles(parsed.vmlinux, vmlinux.symbols);
    if (differing.length > 0) {
      problems.push(
        problem('vmlinux-mismatch', 'warning', { file: vmlinux.symbols.file, range: FILE_START },
          `${vmlinux.symbols.file} is not the kernel of ${parsed.file}: ${differing.length} of ${named + differing.length} names that occur more than once ` +
            `differ (e.g. \`${differing[0]}\`); their source files are not shown`),
      );
    }
  }
  for (const [name, symbols] of parsed.modules) {
    context.objects.set(name, symbols);
    knownModule(context, name);
  }
}

/** Where Debian's linux-image-<release>-dbg puts vmlinux. */
function debugVmlinux(release: string | undefined): string[] {
  return release ? [`/usr/lib/debug/boot/vmlinux-${release}`, `/usr/lib/debug/lib/modules/${release}/vmlinux`] : [];
}

/** Only the symbol parts of a plain ELF file; a compressed one is read whole. */
async function readVmlinux(file: string, limits: ReadLimits): Promise<VmlinuxFile> {
  const cannotRead = (reason: string): VmlinuxFile => ({ problems: [inputProblem(file, 'warning', `cannot read ${file}: ${reason}`)] });
  const read = readElfSymbolParts(file);
  if (!read.ok) return cannotRead(read.reason);
  const parts = read.value;
  if (parts.ok || parts.error !== NOT_ELF) return vmlinuxFromElf(parts, file);
  try {
    return vmlinuxFromBytes(await readKernelFile(file, limits), file);
  } catch (err) {
    return cannotRead(systemReason(err));
  }
}

function useVmlinuxSymbols(context: KernelContext, symbols: ObjectSymbols): void {
  if (symbols.count === 0) return;
  context.objects.set('vmlinux', symbols);
  context.has.vmlinuxSymbols = true;
}

async function loadModuleLists(layout: Layout, context: KernelContext, limits: ReadLimits, caches: Caches | undefined): Promise<void> {
  const problems = context.problems;
  const order = await readParsed('modules.order', undefined, layout.modulesOrder, problems, limits, moduleListReading('list-order'), caches);
  if (order) {
    for (const listed of order.value) knownModule(context, listed.name).path ??= listed.path;
    context.has.moduleList = true;
  }
  const builtin = await readParsed('modules.builtin', undefined, layout.modulesBuiltin, problems, limits, moduleListReading('list-builtin'), caches);
  if (builtin) {
    for (const listed of builtin.value) {
      const info = knownModule(context, listed.name);
      info.builtin = true;
      info.path ??= listed.path;
    }
  }
  // Top Makefile: modules.builtin is made of the "file=" entries of modules.builtin.modinfo.
  const builtinModinfo = await readParsed('modules.builtin.modinfo', undefined, layout.builtinModinfo, problems, limits, builtinModinfoReading(), caches);
  for (const name of builtinModinfo?.value ?? []) knownModule(context, name).builtin = true;
}

/** The module files of a folder, found, and their index opened or its making started. */
interface StartedModules {
  files: string[];
  indexed: IndexedFile[];
  severity: Severity;
  /** The index that stands for the files as they are; or the reading that makes one, with the key and file it is written to. */
  index?: ModuleIndex;
  making?: { reading: ModuleReading; key: string; file: string; write: Caches['write'] };
}

/**
 * The module files under `dir` (moduleFolder.ts: walked, or as the record of the last walk
 * says while none of the folders changed): from the on-disk index of the folder (moduleIndex.ts) when it
 * stands for the files as they are, else each file read (moduleReading.ts: started here, in a
 * thread of its own, finished by finishModuleFiles()) and the index written as `caches` does its
 * writes. Their tables are then read from the index when first asked for; kallsyms [mod] lines,
 * when given, win for symbols.
 */
function startModuleFiles(dir: string, problems: Problem[], limits: ReadLimits, severity: Severity, caches: Caches | undefined): StartedModules {
  const { files } = moduleFilesOf(dir, limits.moduleEntries, problems, caches);
  const indexed = indexedFiles(dir, files);
  const started: StartedModules = { files, indexed, severity };
  if (caches === undefined) return started;
  const file = indexFileOf(caches.dir, dir);
  const key = indexKey(indexed);
  started.index = openModuleIndex(file, key, files);
  if (!started.index && canWriteIndex(file)) started.making = { reading: startModuleReading(files, indexed, severity, limits), key, file, write: caches.write };
  return started;
}

async function finishModuleFiles(started: StartedModules, context: KernelContext, limits: ReadLimits): Promise<void> {
  const { files, indexed, severity, making } = started;
  let index = started.index;
  if (making) {
    const made = (await making.reading.finish(SLICE_MS)).index(making.file, making.key);
    making.write(() => made.writeFile?.());
    index = made;
  }
  if (index) {
    const { file } = index;
    useModules(context, index.modules);
    context.objects.addLazy(index, (subject, reason) => {
      index.invalidate();
      context.problems.push(inputProblem(file, 'warning', `${subject} is not known: ${reason}; the index is made again from the modules at the next load`));
    });
    return;
  }
  // No index (none wanted, or it cannot be written): every table read stays in memory, each file
  // read synchronously as moduleReading.ts readTaken() reads them.
  const modules: ModuleFile[] = new Array(files.length);
  const slices = new TimeSlices(SLICE_MS);
  for (let i = 0; i < files.length; i++) {
    modules[i] = await readModuleFile(files[i], severity, limits, readRegularFile);
    await slices.next();
  }
  useModules(context, modules.map((m, i) => indexedModule(m, indexed[i].path)));
  modules.forEach((m) => m.symbols && !context.objects.has(m.name) && context.objects.set(m.name, m.symbols));
}

/** Each file with the size, mtime and ctime the index's key names (synchronous, as the walk: a full kernel's 4,023 stats). */
function indexedFiles(dir: string, files: readonly string[]): IndexedFile[] {
  // moduleFiles() made each path from the folder's: path.relative() of each cost more than its stat.
  const prefix = childPath(path.join(dir), '');
  return files.map((file) => {
    const st = statSync(file, { throwIfNoEntry: false });
    return { path: file.startsWith(prefix) ? file.slice(prefix.length) : path.relative(dir, file), size: st?.size ?? -1, mtimeMs: st?.mtimeMs ?? -1, ctimeMs: st?.ctimeMs ?? -1 };
  });
}

/** What the module files tell of each module, in file order. */
function useModules(context: KernelContext, modules: readonly IndexedModule[]): void {
  for (const module of modules) {
    context.problems.push(...module.problems);
    if (!module.readable) continue;
    const info = knownModule(context, module.name);
    info.path = module.path;
    info.depends = module.depends;
    info.vermagic = module.vermagic;
    info.livepatch = module.livepatch;
    // vermagic starts with the release the module was built for (include/linux/vermagic.h).
    context.release ??= module.vermagic?.split(' ')[0] || undefined;
  }
}

function knownModule(context: KernelContext, name: string): ModuleInfo {
  let info = context.modules.get(name);
  if (!info) context.modules.set(name, (info = { name, builtin: false }));
  return info;
}

/**
 * The candidate files of a kernel directory. Three layouts: a build tree (Module.symvers,
 * System.map, vmlinux, .config, modules.order and the .ko next to the objects); the folder of
 * /lib/modules/<release>/build (headers: the lists, the .ko and the source link are in its
 * parent, System.map and config in /boot); a folder of copied artifacts, maybe compressed
 * (Module.symvers.xz, kallsyms.xz, System.map.xz, config.xz, modules.order.xz,
 * modules/**\/*.ko.xz).
 */
async function discover(kernel: string | undefined, problems: Problem[]): Promise<Layout> {
  const layout: Layout = { symvers: [], kallsyms: [], systemMap: [], vmlinux: [], config: [], modulesOrder: [], modulesBuiltin: [], builtinModinfo: [], kernelRelease: [], source: [] };
  if (kernel === undefined) return layout;
  const dir = await explicitDir('kernel directory', kernel, problems);
  if (!dir) return layout;
  const at = (...names: string[]) => names.map((n) => path.join(dir, n));
  layout.symvers = at('Module.symvers');
  layout.kallsyms = at('kallsyms');
  layout.systemMap = at('System.map');
  layout.vmlinux = at('vmlinux');
  layout.config = at('.config', 'config');
  layout.modulesOrder = at('modules.order');
  layout.modulesBuiltin = at('modules.builtin');
  layout.builtinModinfo = at('modules.builtin.modinfo');
  // kbuild links source/ to the tree of an O= build; an in-tree build is its own source.
  layout.source = at('source', '.');

  const parent = path.dirname(dir);
  if (path.basename(dir) === 'build' && path.basename(path.dirname(parent)) === 'modules') {
    // The release is the folder's name (uname -r): Debian's headers hold another
    // include/config/kernel.release (the upstream version).
    const release = path.basename(parent);
    layout.release = release;
    layout.source.push(path.join(parent, 'source'));
    layout.systemMap.push(`/boot/System.map-${release}`);
    layout.config.push(`/boot/config-${release}`);
    layout.modulesOrder.push(path.join(parent, 'modules.order'));
    layout.modulesBuiltin.push(path.join(parent, 'modules.builtin'));
    layout.builtinModinfo.push(path.join(parent, 'modules.builtin.modinfo'));
    layout.modulesDir = parent;
  } else {
    layout.kernelRelease = at('include/config/kernel.release', 'include/generated/utsrelease.h');
    layout.modulesDir = (await isDir(path.join(dir, 'modules'))) ? path.join(dir, 'modules') : dir;
  }
  return layout;
}

interface Found {
  file: string;
  text: Buffer;
}

/**
 * The artifact from its cache in `caches` when the cache stands for the file as it is; else
 * readInput(), parsed, and cached as `caches` does its writes (the caller takes its problems).
 */
async function readParsed<T extends { problems: Problem[] }>(
  what: string,
  explicit: string | undefined,
  candidates: string[],
  problems: Problem[],
  limits: ReadLimits,
  reading: ArtifactReading<T>,
  caches: Caches | undefined,
): Promise<(T & { file: string }) | undefined> {
  const located = caches === undefined ? undefined : (explicit ?? (await firstFile(candidates)));
  const key = located === undefined ? undefined : artifactKey(reading, located, limits);
  const cached = key === undefined ? undefined : fromArtifactCache(reading, caches!.dir, located!, key);
  if (cached) return { ...cached, file: located! };
  const input = await readInput(what, explicit, candidates, problems, limits);
  if (!input) return undefined;
  const parsed = reading.parse(input.text, input.file);
  if (key !== undefined && input.file === located) caches!.write(() => writeArtifactCache(reading, caches!.dir, input.file, key, parsed));
  return { ...parsed, file: input.file };
}

async function readInput(what: string, explicit: string | undefined, candidates: string[], problems: Problem[], limits: ReadLimits): Promise<Found | undefined> {
  if (explicit === undefined) return readFound(candidates, problems, limits);
  try {
    return { file: explicit, text: await readKernelFile(explicit, limits) };
  } catch (err) {
    problems.push(inputProblem(explicit, 'error', `cannot read ${what} ${explicit}: ${systemReason(err)}`));
    return undefined;
  }
}

/** The explicit file (a problem when it is none) or the first candidate that is a file, not read. */
async function inputFile(what: string, explicit: string | undefined, candidates: string[], problems: Problem[]): Promise<string | undefined> {
  if (explicit === undefined) return firstFile(candidates);
  if (await isFile(explicit)) return explicit;
  problems.push(inputProblem(explicit, 'error', `cannot read ${what} ${explicit}: not a file`));
  return undefined;
}

/** The first candidate, with or without a compression suffix, that is a file. */
async function firstFile(candidates: string[]): Promise<string | undefined> {
  for (const candidate of candidates) for (const suffix of COMPRESSED_SUFFIXES) if (await isFile(candidate + suffix)) return candidate + suffix;
  return undefined;
}

/** The first candidate (with or without a compression suffix) that is a file; a warning if it cannot be read. */
/** The release include/config/kernel.release holds, or include/generated/utsrelease.h's UTS_RELEASE (a build tree writes both). */
function releaseOf(text: string): string | undefined {
  return (/^#define UTS_RELEASE "([^"]*)"$/m.exec(text)?.[1] ?? text).trim() || undefined;
}

async function readFound(candidates: string[], problems: Problem[], limits: ReadLimits): Promise<Found | undefined> {
  const file = await firstFile(candidates);
  if (file === undefined) return undefined;
  try {
    return { file, text: await readKernelFile(file, limits) };
  } catch (err) {
    problems.push(inputProblem(file, 'warning', `cannot read ${file}: ${systemReason(err)}`));
    return undefined;
  }
}

/** An explicitly named directory: a problem when it is not one. */
async function explicitDir(what: string, dir: string, problems: Problem[]): Promise<string | undefined> {
  try {
    if ((await stat(dir)).isDirectory()) {
      await readdir(dir); // a folder one may not list (no read permission) is unreadable too
      return dir;
    }
    problems.push(inputProblem(dir, 'error', `cannot read ${what} ${dir}: not a directory`));
  } catch (err) {
    problems.push(inputProblem(dir, 'error', `cannot read ${what} ${dir}: ${systemReason(err)}`));
  }
  return undefined;
}

/** The first candidate that is a kernel source tree: it has the top Kconfig (headers-only folders have none). */
async function firstSourceTree(candidates: string[]): Promise<string | undefined> {
  for (const candidate of candidates) if (await isFile(path.join(candidate, 'Kconfig'))) return candidate;
  return undefined;
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then((s) => s.isFile(), () => false);
}

async function isDir(dir: string): Promise<boolean> {
  return stat(dir).then((s) => s.isDirectory(), () => false);
}

function inputProblem(file: string, severity: Severity, message: string): Problem {
  return problem('unreadable-input', severity, { file, range: FILE_START }, message);
}
