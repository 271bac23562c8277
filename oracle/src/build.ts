// Builds the scenario modules out of tree with the kernel's own kbuild (against the headers)
// and the initramfs helper, once per distinct set of sources: .cache/oracle/build/<hash>/.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { run, runOrFail } from '../../tools/src/exec';
import { fail } from '../../tools/src/toolError';
import { CACHE } from './paths';
import type { KernelSetup } from './setup';

/** A module to build: its name and its C files (file name -> text). */
export interface ModuleSource {
  name: string;
  files: Record<string, string>;
}

export interface Build {
  dir: string;
  /** Path of each built .ko by module name. */
  modules: Map<string, string>;
  /** The static insmod/rmmod of the initramfs (templates/modtool.c). */
  modtool: string;
}

export async function buildModules(kernel: KernelSetup, sources: ModuleSource[], modtoolSource: string, log: (line: string) => void): Promise<Build> {
  const kbuild = kbuildFile(sources);
  const hash = createHash('sha256').update(kernel.release).update(kbuild).update(modtoolSource);
  for (const m of sources) for (const [file, text] of Object.entries(m.files)) hash.update(file).update('\0').update(text);
  const dir = path.join(CACHE, 'build', hash.digest('hex').slice(0, 16));
  const result: Build = {
    dir,
    modules: new Map(sources.map((m) => [m.name, path.join(dir, `${m.name}.ko`)])),
    modtool: path.join(dir, 'modtool'),
  };
  if (existsSync(path.join(dir, '.done'))) return result;

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const m of sources) for (const [file, text] of Object.entries(m.files)) writeFileSync(path.join(dir, file), text);
  writeFileSync(path.join(dir, 'Kbuild'), kbuild);
  writeFileSync(path.join(dir, 'modtool.c'), modtoolSource);
  log(`kbuild: ${sources.length} modules against ${kernel.buildDir}`);
  const make = await run('make', ['-C', kernel.buildDir, `M=${dir}`, 'modules', '-j2'], { timeoutMs: 15 * 60_000 });
  if (make.timedOut) fail('kbuild timed out after 15 minutes');
  if (make.code !== 0) fail(`kbuild failed: ${firstError(make.stderr + make.stdout)}`);
  await compileModtool(dir);
  for (const [name, ko] of result.modules) if (!existsSync(ko)) fail(`kbuild made no ${name}.ko`);
  writeFileSync(path.join(dir, '.done'), '');
  return result;
}

/** The initramfs' static insmod/rmmod from `dir`/modtool.c into `dir`/modtool (gcc -static needs libc6-dev). */
export async function compileModtool(dir: string): Promise<string> {
  await runOrFail('building modtool (gcc -static)', 'gcc', ['-static', '-Os', '-Wall', '-o', 'modtool', 'modtool.c'], { cwd: dir, timeoutMs: 5 * 60_000 });
  return path.join(dir, 'modtool');
}

function kbuildFile(sources: ModuleSource[]): string {
  const lines = sources.map((m) => `obj-m += ${m.name}.o`);
  for (const m of sources) {
    const objects = Object.keys(m.files).filter((f) => f.endsWith('.c')).map((f) => f.replace(/\.c$/, '.o'));
    // A module of one file of its own name needs no composite line.
    if (!(objects.length === 1 && objects[0] === `${m.name}.o`)) lines.push(`${m.name}-y := ${objects.join(' ')}`);
  }
  return lines.join('\n') + '\n';
}

function firstError(output: string): string {
  const lines = output.split('\n');
  return (lines.find((l) => /\berror\b/i.test(l)) ?? lines.find((l) => l.trim()) ?? 'no output').trim();
}
