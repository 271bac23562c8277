// The kernel tree the compile check builds in: a copy of the user's source tree made of hard
// links (instant, no space), configured with the target's .config and `make prepare`d once,
// then kept in klp-lens' cache and reused by every check. Nothing is ever written through a
// link: what make, patch and klp-lens write are new files, and the few files a check patches
// are put back by linking the original again (restoreFiles).
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, copyFileSync, realpathSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { runProgram } from './processes';

export interface PreparedTree {
  /** The user's tree, never written. */
  source: string;
  /** The prepared copy. */
  dir: string;
  /** Where the original objects of this tree are kept between checks. */
  originals: string;
}

export type Progress = (message: string) => void;

/** The prepared copy of `source` for that .config, made when it is not in the cache yet. */
export async function preparedTree(source: string, configText: string, cacheDir: string, progress: Progress): Promise<PreparedTree | { error: string }> {
  if (!existsSync(path.join(source, 'Kconfig')) || !existsSync(path.join(source, 'Makefile'))) {
    return { error: `${source} is not a kernel source tree (no Kconfig and Makefile at its top)` };
  }
  const real = realpathSync(source);
  const key = createHash('sha256').update(real).update('\0').update(configText).digest('hex').slice(0, 16);
  const dir = path.join(cacheDir, 'trees', key);
  const originals = path.join(cacheDir, 'originals', key);
  const tree = { source: real, dir, originals };
  if (existsSync(path.join(dir, '.klp-lens-prepared'))) return tree;

  const work = `${dir}.tmp`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(path.dirname(work), { recursive: true });
  progress(`copying ${real} (hard links)`);
  const copied = await runProgram('cp', ['-al', real, work], { cwd: cacheDir });
  if (copied.code !== 0) return { error: `cannot copy ${real} into ${cacheDir}: ${copied.stderr.trim()}` };
  // A tree that was built before: mrproper unlinks its outputs, so no later write reaches a linked file.
  if (existsSync(path.join(work, '.config')) || existsSync(path.join(work, 'include/generated'))) {
    progress('cleaning the copy (make mrproper)');
    await runProgram('make', ['-s', 'mrproper'], { cwd: work });
  }
  writeFileSync(path.join(work, '.config'), configText);
  // Debian's config names certificates that only Debian's build tree has (build-truth.md).
  await runProgram('./scripts/config', ['--set-str', 'SYSTEM_TRUSTED_KEYS', '', '--set-str', 'SYSTEM_REVOCATION_KEYS', ''], { cwd: work });
  progress('make olddefconfig');
  const olddef = await runProgram('make', ['-s', 'olddefconfig'], { cwd: work });
  if (olddef.code !== 0) return { error: `make olddefconfig failed: ${lastLines(olddef.stderr)}` };
  progress('make prepare (once per tree and .config)');
  const prepare = await runProgram('make', ['-s', `-j${jobs()}`, 'prepare'], { cwd: work });
  if (prepare.code !== 0) return { error: `make prepare failed: ${lastLines(prepare.stderr)}` };
  writeFileSync(path.join(work, '.klp-lens-prepared'), `${real}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(work, dir);
  return tree;
}

/** Puts the tree's `files` back as the user's tree has them (or removes them when it has none). */
export function restoreFiles(tree: PreparedTree, files: Iterable<string>): void {
  for (const file of files) {
    const copy = path.join(tree.dir, file);
    const original = path.join(tree.source, file);
    for (const leftover of [copy, `${copy}.orig`, `${copy}.rej`]) rmSync(leftover, { force: true });
    if (!existsSync(original)) continue;
    mkdirSync(path.dirname(copy), { recursive: true });
    try {
      linkSync(original, copy);
    } catch {
      copyFileSync(original, copy);
    }
  }
}

export function jobs(): number {
  return Math.max(1, Number(process.env.KLP_LENS_JOBS) || availableParallelism());
}

export function lastLines(text: string, count = 8): string {
  return text.trim().split('\n').slice(-count).join('\n');
}

