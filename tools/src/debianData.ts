// Real kernel data from Debian's archive for the build tier and the measurements: a package
// downloaded once (apt-get download), unpacked once, kept in a cache folder.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { APT_ENV, aptUpdate } from './apt';
import { run, runOrFail } from './exec';
import { fail } from './toolError';

const MINUTE = 60_000;

/** `apt-get download pkg` (pkg may be `name=version`) into `dir`, once; the .deb's path. */
export async function downloadDeb(pkg: string, dir: string, log: (line: string) => void): Promise<string> {
  const [name, version] = pkg.split('=');
  const prefix = `${name}_${version ? version.replace(/^\d+:/, '') : ''}`;
  const found = () => readdirSync(dir).find((f) => f.startsWith(prefix) && f.endsWith('.deb'));
  mkdirSync(dir, { recursive: true });
  if (found()) return path.join(dir, found()!);
  log(`apt-get download ${pkg}`);
  const download = () => run('apt-get', ['download', pkg], { cwd: dir, env: APT_ENV, timeoutMs: 20 * MINUTE });
  let result = await download();
  if (result.code !== 0) {
    // A package list older than the archive names no such version.
    await aptUpdate();
    result = await download();
  }
  const deb = found();
  if (result.code !== 0 || !deb) fail(`apt-get download ${pkg} failed: ${result.stderr.split('\n').find((l) => l.startsWith('E:')) ?? `exit ${result.code}`}`);
  return path.join(dir, deb);
}

/** The package's files unpacked (dpkg -x) into `<dir>/<pkg>/`, once. */
export async function unpackedDeb(pkg: string, dir: string, log: (line: string) => void): Promise<string> {
  const root = path.join(dir, pkg.replace(/[^\w.+-]/g, '_'));
  if (existsSync(path.join(root, '.unpacked'))) return root;
  const deb = await downloadDeb(pkg, dir, log);
  rmSync(root, { recursive: true, force: true });
  log(`dpkg -x ${path.basename(deb)}`);
  await runOrFail(`dpkg -x ${deb}`, 'dpkg', ['-x', deb, root], { timeoutMs: 10 * MINUTE });
  writeFileSync(path.join(root, '.unpacked'), '');
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
  const work = `${tree}.part`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  log(`extracting linux-source-${line}.tar.xz from ${path.basename(deb)}`);
  await runOrFail(
    `extracting ${deb}`,
    'sh',
    ['-c', `dpkg-deb --fsys-tarfile "$1" | tar -x -O "./usr/src/linux-source-$2.tar.xz" | tar -xJ --strip-components=1 -C "$3"`, 'sh', deb, line, work],
    { timeoutMs: 15 * MINUTE },
  );
  renameSync(work, tree);
  return tree;
}
