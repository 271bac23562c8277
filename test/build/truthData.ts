// The build tier's real data, fetched from Debian's archive once into .cache/build/: the
// original tree of the truth sample (linux-source-6.1 6.1.170-3) and every .ko of the kernel
// the ../shared artifacts describe (linux-image-6.1.0-56-amd64-unsigned). The truth sample
// (test/fixtures/truth/) was made with `klp-lens changed` from the differences between
// linux-source-6.1 6.1.170-3 and 6.1.176-1 (scripts/truth-fixtures.mjs).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../../server/src/common/packageRoot';
import type { ObjectChanges } from '../../server/src/compiler/objectChanges';
import { ensurePackages } from '../../tools/src/apt';
import { run } from '../../tools/src/exec';
import { linuxSourceTree, unpackedDeb } from '../../tools/src/debianData';

export const BUILD_TIER = process.env.KLP_BUILD === '1';
export const BUILD_SKIP = 'skipped: set KLP_BUILD=1 to fetch Debian kernel sources and modules and compile (a few minutes)';
export const CACHE = path.join(packageRoot(), '.cache', 'build');
export const TRUTH = path.join(packageRoot(), 'test', 'fixtures', 'truth', 'debian-6.1.170-3-to-6.1.176-1');
export const KERNEL_RELEASE = '6.1.0-56-amd64';

export interface TruthObject extends ObjectChanges {
  object: string;
  source: string;
  target: string;
}

export interface TruthPatch {
  name: string;
  patchFile: string;
  objects: TruthObject[];
}

/** The sample's patches and what the compiler changed for each. */
export function truthSample(): TruthPatch[] {
  return readdirSync(TRUTH)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const name = f.replace(/\.json$/, '');
      const objects = (JSON.parse(readFileSync(path.join(TRUTH, f), 'utf8')) as { objects: TruthObject[] }).objects;
      return { name, patchFile: path.join(TRUTH, `${name}.patch`), objects };
    });
}

export function originalTree(log: (line: string) => void): Promise<string> {
  return linuxSourceTree('6.1', '6.1.170-3', CACHE, log);
}

/** The folder holding every .ko of the kernel. */
export async function allModules(log: (line: string) => void): Promise<string> {
  const root = await unpackedDeb(`linux-image-${KERNEL_RELEASE}-unsigned`, CACHE, log);
  return path.join(root, 'lib', 'modules', KERNEL_RELEASE);
}

/** What compiling a kernel object needs (build-truth.md). */
export function ensureBuildPackages(log: (line: string) => void): Promise<void> {
  return ensurePackages(['gcc', 'make', 'flex', 'bison', 'bc', 'libelf-dev', 'libssl-dev', 'patch', 'xz-utils'], log);
}

/** Debian 12's own amd64 kbuild folder (the one linux-headers-amd64 installs), whatever other line is installed beside it. */
export async function kbuildHeaders(log: (line: string) => void): Promise<string> {
  await ensurePackages(['linux-headers-amd64'], log);
  // The ones linux-headers-amd64 depends on: Debian 12's own 6.1, not another line the oracle installed (6.12).
  const wanted = /Depends:\s+(linux-headers-\S+-amd64)\b/.exec((await run('apt-cache', ['depends', 'linux-headers-amd64'], { timeoutMs: 60_000 })).stdout)?.[1];
  if (wanted && existsSync(path.join('/usr/src', wanted, 'Makefile'))) return path.join('/usr/src', wanted);
  // Else the newest 6.1 ABI installed: 6.1.0-57 is newer than 6.1.0-9.
  const found = readdirSync('/usr/src')
    .filter((d) => /^linux-headers-6\.1\.0-\d+-amd64$/.test(d) && existsSync(path.join('/usr/src', d, 'Makefile')))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return path.join('/usr/src', found[found.length - 1]);
}
