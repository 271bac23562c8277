// The real Debian 6.1 amd64 kernel for the kbuild tests: its source corpus, its .config and
// its modules.order / modules.builtin (xz-compressed in ../shared).
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readKernelFile } from '../../../server/src/kernel/compressed';
import { parseConfig } from '../../../server/src/kernel/config';
import { CORPUS, DEBIAN_KERNEL } from '../../helpers/shared';

export const LINUX = path.join(CORPUS, 'linux-6.1');

/** Debian's amd64 config as the corpus ships it (debian-config/config.amd64_none_amd64, one full .config). */
export function corpusConfig(): Map<string, string> {
  const file = path.join(LINUX, 'debian-config/config.amd64_none_amd64');
  return parseConfig(readFileSync(file, 'utf8'), file).config;
}

/** The text of an xz artifact of the Debian kernel (config.xz, modules.order.xz ...). */
export async function debianText(name: string): Promise<string> {
  return (await readKernelFile(path.join(DEBIAN_KERNEL, name))).toString('utf8');
}

/** The lines of modules.order or modules.builtin: `kernel/drivers/cdrom/cdrom.ko`. */
export async function debianModules(name: 'modules.order.xz' | 'modules.builtin.xz'): Promise<string[]> {
  return (await debianText(name)).split('\n').filter(Boolean);
}

/** Every path of the corpus tree under `dir` (relative to the tree) whose name matches. */
export function corpusFiles(dir: string, name: RegExp): string[] {
  return readdirSync(path.join(LINUX, dir), { recursive: true, encoding: 'utf8' })
    .map((p) => path.posix.join(dir, p.split(path.sep).join('/')))
    .filter((p) => name.test(path.posix.basename(p)))
    .sort();
}

/** The C and assembly sources of the corpus: the files present, and those SOURCE-LISTING.txt names. */
export function corpusSources(): string[] {
  const listed = readFileSync(path.join(LINUX, 'SOURCE-LISTING.txt'), 'utf8').split('\n');
  return [...new Set([...listed, ...corpusFiles('.', /./)].filter((f) => /\.(c|S)$/.test(f) && !f.startsWith('tools/')))].sort();
}
