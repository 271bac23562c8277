// The compile check: what GCC really changes for a patch, the way kpatch-build and klp-build
// find it. In the prepared copy of the kernel tree (kernelTree.ts), each object the patch
// touches is compiled before and after the patch with the flags kbuild uses plus
// -ffunction-sections -fdata-sections (both tools do so), the patch first given `#line` pins
// as klp-build's fix-patch-lines does (linePins.ts), and the two objects are compared symbol
// by symbol (compiledObject.ts, objectChanges.ts).
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../kernel/config';
import { createKbuildResolver } from '../kernel/kbuild';
import type { KbuildResolver } from '../kernel/types';
import { parsePatch } from '../syntax/diff';
import { readCompiledObject, type CompiledObject } from './compiledObject';
import { compilingFiles, readIncludeGraph, type IncludeGraph } from './includers';
import { pinLines } from '../edits/linePins';
import { objectChanges, type ObjectChanges } from './objectChanges';
import { missingBuildTools, runProgram } from './processes';
import { jobs, lastLines, preparedTree, restoreFiles, type PreparedTree, type Progress } from './kernelTree';

export interface CompileCheckOptions {
  /** The kernel source tree the patch applies to (never written). */
  source: string;
  /** The target's .config. */
  configText: string;
  cacheDir: string;
  progress?: Progress;
  /** At most this many objects per patch reached through a header (default 24). */
  maxObjects?: number;
}

export interface CompiledObjectResult {
  /** The object file in the tree (`drivers/cdrom/cdrom.o`). */
  object: string;
  /** The source file compiled into it. */
  source: string;
  /** What the object is linked into: vmlinux or a module, as kbuild says. */
  target: string;
  changes?: ObjectChanges;
  /** Why it could not be compared (does not compile, ...). */
  error?: string;
}

export interface CompileCheckResult {
  patch: string;
  objects: CompiledObjectResult[];
  /** What was not compared, and why. */
  notes: string[];
  /** Why nothing could be checked (tools missing, the patch does not apply ...). */
  error?: string;
  /** Wall time of the whole check and of its compilations alone, in seconds. */
  seconds: number;
  compileSeconds: number;
}

const KCFLAGS = 'KCFLAGS=-ffunction-sections -fdata-sections';

/** Compiles what each patch touches before and after it; one patch at a time, the tree put back after each. */
export class CompileChecker {
  private tree?: PreparedTree;
  private graph?: IncludeGraph;
  private kbuild?: KbuildResolver;

  constructor(private readonly options: CompileCheckOptions) {}

  async check(patchFile: string, patchText: string): Promise<CompileCheckResult> {
    const started = Date.now();
    const result: CompileCheckResult = { patch: patchFile, objects: [], notes: [], seconds: 0, compileSeconds: 0 };
    const finish = () => ({ ...result, seconds: (Date.now() - started) / 1000 });
    const missing = missingBuildTools();
    if (missing) return { ...finish(), error: missing };
    const tree = await this.prepared();
    if ('error' in tree) return { ...finish(), error: tree.error };
    const files = parsePatch(patchText, patchFile).files.filter((f) => !f.isBinary);
    const sources = this.objectsOf(tree, files.map((f) => f.path), result.notes);
    const touched = new Set(files.map((f) => f.path));
    const compile = async (objects: string[]) => {
      const t = Date.now();
      const made = await this.make(tree, objects);
      result.compileSeconds += (Date.now() - t) / 1000;
      return made;
    };
    try {
      const before = await this.originals(tree, [...sources.keys()], compile);
      const applied = await applyPatch(tree.dir, pinLines(patchText));
      if (applied) return { ...finish(), error: `the patch does not apply to ${tree.source}: ${applied}` };
      const after = await compile([...sources.keys()]);
      for (const [object, source] of sources) {
        const target = this.kbuild!.resolve(source).object;
        const old = before.get(object);
        const now = after.get(object);
        if ('error' in old!) result.objects.push({ object, source, target, error: `the original does not compile: ${old!.error}` });
        else if ('error' in now!) result.objects.push({ object, source, target, error: `the patched file does not compile: ${now!.error}` });
        else result.objects.push({ object, source, target, changes: objectChanges(old!.value, now!.value) });
      }
    } finally {
      restoreFiles(tree, touched);
    }
    return finish();
  }

  private async prepared(): Promise<PreparedTree | { error: string }> {
    if (this.tree) return this.tree;
    const { source, configText, cacheDir, progress = () => undefined } = this.options;
    const tree = await preparedTree(source, configText, cacheDir, progress);
    if ('error' in tree) return tree;
    this.kbuild = createKbuildResolver(tree.dir, parseConfig(configText, '.config').config);
    this.tree = tree;
    return tree;
  }

  /** Object file (as make builds it) → the source compiled into it, for each changed file that is compiled (itself, or by its includers). */
  private objectsOf(tree: PreparedTree, paths: readonly string[], notes: string[]): Map<string, string> {
    const objects = new Map<string, string>();
    const built = (file: string) => file.endsWith('.c') && this.kbuild!.resolve(file).object !== 'unknown';
    const target = (file: string) => this.kbuild!.resolve(file).makeTarget ?? file.replace(/\.c$/, '.o');
    const max = this.options.maxObjects ?? 24;
    for (const file of paths) {
      if (!/\.[ch]$/.test(file)) {
        notes.push(`${file}: not compared (only C sources and headers are compiled)`);
        continue;
      }
      if (built(file)) {
        objects.set(target(file), file);
        continue;
      }
      this.graph ??= readIncludeGraph(tree.dir);
      const compiling = compilingFiles(this.graph, file).filter(built);
      if (compiling.length === 0) notes.push(`${file}: compiled into nothing with this .config`);
      if (compiling.length > max) notes.push(`${file}: compiled by ${compiling.length} files; the nearest ${max} are compared`);
      for (const c of compiling.slice(0, max)) objects.set(target(c), c);
    }
    return objects;
  }

  /** The objects compiled from the unpatched tree, kept between checks (the tree is put back after each). */
  private async originals(tree: PreparedTree, objects: string[], compile: (o: string[]) => Promise<Map<string, Compiled>>): Promise<Map<string, Compiled>> {
    const kept = (o: string) => path.join(tree.originals, o);
    const missing = objects.filter((o) => !existsSync(kept(o)));
    const made = missing.length > 0 ? await compile(missing) : new Map<string, Compiled>();
    const result = new Map<string, Compiled>();
    for (const o of objects) {
      const fresh = made.get(o);
      if (fresh && !('error' in fresh)) {
        mkdirSync(path.dirname(kept(o)), { recursive: true });
        copyFileSync(path.join(tree.dir, o), kept(o));
      }
      result.set(o, fresh ?? readObject(kept(o)));
    }
    return result;
  }

  /**
   * Compiles the objects anew (make goes by timestamps, so each .o is removed first) and reads
   * them: one make per object, as many at once as there are cores. Not one `make -jN a.o b.o`:
   * kbuild's single-target build may descend into an object's directory from two parents at
   * once (drivers/char and drivers/char/ipmi for ipmi_ssif.o), and the two compilations race.
   */
  private async make(tree: PreparedTree, objects: string[]): Promise<Map<string, Compiled>> {
    const result = new Map<string, Compiled>();
    const queue = [...objects];
    const worker = async () => {
      for (let o = queue.shift(); o !== undefined; o = queue.shift()) {
        const file = path.join(tree.dir, o);
        rmSync(file, { force: true });
        const made = await runProgram('make', ['-s', KCFLAGS, o], { cwd: tree.dir });
        result.set(o, existsSync(file) ? readObject(file) : { error: compilerErrors(made.stderr, o) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(jobs(), objects.length) }, worker));
    return result;
  }
}

type Compiled = { value: CompiledObject } | { error: string };

function readObject(file: string): Compiled {
  const read = readCompiledObject(readFileSync(file));
  return read.ok ? { value: read.value } : { error: `${file}: ${read.error}` };
}

/** The lines of make's output about `object`'s source, else its last lines. */
function compilerErrors(stderr: string, object: string): string {
  const source = object.replace(/\.o$/, '.');
  const own = stderr.split('\n').filter((l) => l.startsWith(source) && /error/.test(l));
  return own.length > 0 ? own.slice(0, 5).join('\n') : lastLines(stderr, 5) || 'make made no object';
}

/** Applies the patch to `dir` (after a dry run, so a patch that does not apply changes nothing); the reason when it does not apply. */
async function applyPatch(dir: string, patch: string): Promise<string | undefined> {
  const file = path.join(dir, '.klp-lens-patch');
  writeFileSync(file, patch);
  try {
    const args = ['-p1', '-f', '-s', '--no-backup-if-mismatch', '-r', '/dev/null', '-i', file];
    const dry = await runProgram('patch', ['--dry-run', ...args], { cwd: dir });
    if (dry.code !== 0) return lastLines(dry.stdout + dry.stderr, 5);
    const real = await runProgram('patch', args, { cwd: dir });
    return real.code === 0 ? undefined : lastLines(real.stdout + real.stderr, 5);
  } finally {
    rmSync(file, { force: true });
  }
}
