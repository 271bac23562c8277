// `klp-lens build`: hand-written livepatch modules built with the target kernel's own kbuild
// (`make -C <build dir> M=<dir> modules`, Documentation/kbuild/modules.rst), modpost told that
// undefined symbols are resolved later (KBUILD_MODPOST_WARN=1: the klp symbols the livepatch core
// resolves are undefined for it), then converted (klpConvert/convert.ts) so that the kernel's
// livepatch core resolves the klp symbols. The compiler's and modpost's complaints come back as
// problems at the lines of the user's sources. The sources are copied into a folder of the cache:
// nothing is written beside them but the modules, in the output folder.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { problem, type Problem } from '../common/problem';
import { makeRange } from '../common/range';
import { convertKlpRelocations } from '../klpConvert/convert';
import { jobs, lastLines } from './kernelTree';
import { runProgram } from './processes';

export interface ModuleBuildOptions {
  /** The kernel's kbuild folder (/lib/modules/<release>/build, a headers package, a built tree). */
  buildDir: string;
  /** The modules' C sources: one module per file, named after it. */
  sources: string[];
  cacheDir: string;
  /** Where the built modules go (default: beside each source). */
  outputDir?: string;
  /** false: the modules as kbuild made them, klp symbols unconverted (the oracle shows the kernel refusing one). */
  convert?: boolean;
}

export interface BuiltModule {
  source: string;
  /** The module file written, when the build made one. */
  ko?: string;
  /** The klp symbols converted into livepatch relocations. */
  klpSymbols: string[];
}

export interface ModuleBuildResult {
  modules: BuiltModule[];
  /** The compiler's, modpost's and the conversion's complaints, at the sources' lines where they say one. */
  problems: Problem[];
}

const COMPILER_LINE = /^(.+?\.[ch]):(\d+):(\d+): (error|warning|fatal error): (.*)$/;
const MODPOST_LINE = /^(ERROR|WARNING): modpost: (.*)$/;
const UNDEFINED = /^"([^"]+)" \[(.+?)\.ko\] undefined!$/;

export async function buildModules(options: ModuleBuildOptions): Promise<ModuleBuildResult> {
  const sources = options.sources.map((s) => path.resolve(s));
  if (!existsSync(path.join(options.buildDir, 'Makefile'))) {
    return failed(sources, `${options.buildDir} is no kernel build folder (no Makefile): give the kernel's build folder, e.g. /lib/modules/<release>/build from linux-headers-<release>`);
  }
  const names = sources.map((s) => path.basename(s, '.c'));
  if (new Set(names).size !== names.length) return failed(sources, 'two sources have the same name: each becomes a module of that name');
  const key = createHash('sha256').update(options.buildDir).update(sources.join('\0')).digest('hex').slice(0, 16);
  const work = path.resolve(options.cacheDir, 'modules', key);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // The sources, and the headers beside them that they may include with quotes.
  for (const dir of new Set(sources.map((s) => path.dirname(s)))) {
    for (const header of readdirSync(dir).filter((f) => f.endsWith('.h'))) copyFileSync(path.join(dir, header), path.join(work, header));
  }
  sources.forEach((s, i) => copyFileSync(s, path.join(work, `${names[i]}.c`)));
  writeFileSync(path.join(work, 'Kbuild'), names.map((n) => `obj-m += ${n}.o`).join('\n') + '\n');
  const made = await runProgram('make', ['-C', options.buildDir, `M=${work}`, 'modules', `-j${jobs()}`], { cwd: work, env: { KBUILD_MODPOST_WARN: '1' } });
  const sourceOf = new Map(names.map((n, i) => [n, sources[i]]));
  const problems = complaints(made.stdout + made.stderr, work, sourceOf);
  if (made.code !== 0 && !problems.some((p) => p.severity === 'error')) {
    problems.push(problem('build', 'error', { file: sources[0], range: makeRange(0, 0, 0, 0) }, `make failed: ${lastLines(made.stdout + made.stderr, 1)}`));
  }
  const modules = sources.map((source, i): BuiltModule => {
    const built = path.join(work, `${names[i]}.ko`);
    if (!existsSync(built)) return { source, klpSymbols: [] };
    const bytes = readFileSync(built);
    const converted = options.convert === false ? { ok: true as const, conversion: { bytes, symbols: [] } } : convertKlpRelocations(bytes);
    if (!converted.ok) {
      problems.push(problem('klp-convert', 'error', { file: source, range: makeRange(0, 0, 0, 0) }, `${names[i]}.ko cannot be converted: ${converted.error}`));
      return { source, klpSymbols: [] };
    }
    const ko = path.join(options.outputDir ?? path.dirname(source), `${names[i]}.ko`);
    mkdirSync(path.dirname(ko), { recursive: true });
    // Written whole, then renamed: a failure never leaves half a module.
    writeFileSync(`${ko}.klp-lens-tmp`, converted.conversion.bytes);
    renameSync(`${ko}.klp-lens-tmp`, ko);
    return { source, ko, klpSymbols: converted.conversion.symbols.map((s) => s.name) };
  });
  return { modules, problems };
}

/** The compiler's messages at the sources' lines; modpost's at the module's first line (it names no line). */
function complaints(output: string, work: string, sourceOf: ReadonlyMap<string, string>): Problem[] {
  const problems: Problem[] = [];
  for (const line of output.split('\n')) {
    const c = COMPILER_LINE.exec(line.trim());
    if (c) {
      const file = path.resolve(work, c[1]);
      const source = sourceOf.get(path.basename(file, '.c')) ?? file;
      const at = makeRange(Number(c[2]) - 1, Number(c[3]) - 1, Number(c[2]) - 1, Number(c[3]) - 1);
      problems.push(problem('build', c[4] === 'warning' ? 'warning' : 'error', { file: path.dirname(file) === work ? source : file, range: at }, `gcc: ${c[5]}`));
      continue;
    }
    const m = MODPOST_LINE.exec(line.trim());
    if (!m) continue;
    const undefinedSymbol = UNDEFINED.exec(m[2]);
    // A klp symbol is undefined for modpost by design: the conversion makes it the livepatch core's.
    if (undefinedSymbol?.[1].startsWith('.klp.sym.')) continue;
    const module = undefinedSymbol ? path.basename(undefinedSymbol[2]) : undefined;
    const file = (module && sourceOf.get(module)) ?? [...sourceOf.values()][0];
    const message = undefinedSymbol
      ? `modpost: \`${undefinedSymbol[1]}\` is undefined: nothing exports it, so the module cannot load (declare it as a klp symbol: unexported-symbol)`
      : `modpost: ${m[2]}`;
    problems.push(problem('modpost', undefinedSymbol || m[1] === 'ERROR' ? 'error' : 'warning', { file, range: makeRange(0, 0, 0, 0) }, message));
  }
  return problems;
}

function failed(sources: string[], message: string): ModuleBuildResult {
  return { modules: sources.map((source) => ({ source, klpSymbols: [] })), problems: [problem('build', 'error', { file: sources[0] ?? '', range: makeRange(0, 0, 0, 0) }, message)] };
}
