// Real kernel data from Debian's archive for the build tier and the measurements: a package
// downloaded once (apt-get download), unpacked once, kept in a cache folder. Tiers that run at
// once (the editor and build tiers share the kernel's modules) may fetch the same package: each
// works in a folder of its own and moves its result into place whole, so none sees another's half.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { APT_ENV, aptUpdate } from './apt';
import { run, runOrFail } from './exec';
import { fail } from './toolError';

const MINUTE = 60_000;

/** `apt-get download pkg` (pkg may be `name=version`) into `dir`, once; the .deb's path. */
export async function downloadDeb(pkg: string, dir: string, log: (line: string) => void): Promise<string> {
  const [name, version] = pkg.split('=');
  const prefix = `${name}_${version ? version.replace(/^\d+:/, '') : ''}`;
  const found = (where: string) => readdirSync(where).find((f) => f.startsWith(prefix) && f.endsWith('.deb'));
  mkdirSync(dir, { recursive: true });
  const have = found(dir);
  if (have) return path.join(dir, have);
  log(`apt-get download ${pkg}`);
  const work = mkdtempSync(path.join(dir, '.download-'));
  try {
    const download = () => run('apt-get', ['download', pkg], { cwd: work, env: APT_ENV, timeoutMs: 20 * MINUTE });
    let result = await download();
    if (result.code !== 0) {
      // A package list older than the archive names no such version.
      await aptUpdate();
      result = await download();
    }
    const deb = found(work);
    if (result.code !== 0 || !deb) fail(`apt-get download ${pkg} failed: ${result.stderr.split('\n').find((l) => l.startsWith('E:')) ?? `exit ${result.code}`}`);
    renameSync(path.join(work, deb), path.join(dir, deb));
    return path.join(dir, deb);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Moves the finished folder `work` to `final`; when another process put one there first, theirs is kept. */
function publish(work: string, final: string): void {
  try {
    renameSync(work, final);
  } catch (err) {
    if (!existsSync(final)) throw err;
    rmSync(work, { recursive: true, force: true });
  }
}

/** The package's files unpacked (dpkg -x) into `<dir>/<pkg>/`, once. */
export async function unpackedDeb(pkg: string, dir: string, log: (line: string) => void): Promise<string> {
  const root = path.join(dir, pkg.replace(/[^\w.+-]/g, '_'));
  const mark = path.join(root, '.unpacked');
  if (existsSync(mark)) return root;
  const deb = await downloadDeb(pkg, dir, log);
  if (existsSync(mark)) return root;
  // A folder without its mark was left by a run that stopped half-way.
  rmSync(root, { recursive: true, force: true });
  const work = mkdtempSync(`${root}.part-`);
  log(`dpkg -x ${path.basename(deb)}`);
  await runOrFail(`dpkg -x ${deb}`, 'dpkg', ['-x', deb, work], { timeoutMs: 10 * MINUTE });
  writeFileSync(path.join(work, '.unpacked'), '');
  publish(work, root);
  return root;
}

/**
 * `<dir>/vmlinux-<release>`: the vmlinux of linux-image-<release>-dbg (its whole symbol table,
 * STT_FILE symbols included, and its debug info), extracted alone, once. It is the first file
 * of the package, so tar stops there (4 s); the 860 MB .deb is removed afterwards.
 */
export async function debugVmlinux(release: string, dir: string, log: (line: string) => void): Promise<string> {
  const file = path.join(dir, `vmlinux-${release}`);
  if (existsSync(file)) return file;
  const deb = await downloadDeb(`linux-image-${release}-dbg`, dir, log);
  log(`extracting vmlinux-${release} from ${path.basename(deb)}`);
  await runOrFail(
    `extracting vmlinux from ${deb}`,
    'sh',
    ['-c', 'dpkg-deb --fsys-tarfile "$1" 2>/dev/null | tar -x -O --occurrence=1 "./usr/lib/debug/boot/vmlinux-$2" > "$3"', 'sh', deb, release, `${file}.part`],
    { timeoutMs: 10 * MINUTE },
  );
  renameSync(`${file}.part`, file);
  rmSync(deb);
  return file;
}

/** The kernel source tree of `linux-source-<line>=<version>` (its tarball extracted), once. */
export async function linuxSourceTree(line: string, version: string, dir: string, log: (line: string) => void): Promise<string> {
  const tree = path.join(dir, `linux-source-${version}`);
  if (existsSync(path.join(tree, 'Kconfig'))) return tree;
  const pkg = `linux-source-${line}=${version}`;
  const deb = await downloadDeb(pkg, dir, log);
  const work = mkdtempSync(`${tree}.part-`);
  log(`extracting linux-source-${line}.tar.xz from ${path.basename(deb)}`);
  await runOrFail(
    `extracting ${deb}`,
    'sh',
    ['-c', `dpkg-deb --fsys-tarfile "$1" | tar -x -O "./usr/src/linux-source-$2.tar.xz" | tar -xJ --strip-components=1 -C "$3"`, 'sh', deb, line, work],
    { timeoutMs: 15 * MINUTE },
  );
  publish(work, tree);
  return tree;
}

/** A kernel folder `dir`: each artifact of the folder `artifacts` (linked), with `modules` as its modules folder. */
export function kernelWithModules(artifacts: string, modules: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(artifacts)) if (f !== 'modules') symlinkSync(path.join(artifacts, f), path.join(dir, f));
  symlinkSync(modules, path.join(dir, 'modules'));
  return dir;
}
