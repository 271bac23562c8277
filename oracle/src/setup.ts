// Installs what the oracle needs through apt and caches the kernel image: the ABI is the one
// linux-image-amd64 depends on now (security updates replace old ABIs in the archive).
// `klp-lens try` fetches its kernel image the same way (kernelImage()), but installs nothing.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { aptUpdate, ensurePackages } from '../../tools/src/apt';
import { unpackedDeb } from '../../tools/src/debianData';
import { run } from '../../tools/src/exec';
import { fail } from '../../tools/src/toolError';
import { CACHE } from './paths';

/** A Debian kernel as the VM boots it. */
export interface KernelImage {
  vmlinuz: string;
  /** Its modules (lib/modules/<release>/kernel). */
  modulesDir: string;
  /** Where its /proc/kallsyms is kept once a boot printed it (bootedKallsyms.ts): the package's System.map is a placeholder. */
  kallsyms: string;
}

export interface KernelSetup extends KernelImage {
  /** e.g. 6.1.0-56-amd64 */
  release: string;
  /** /lib/modules/<release>/build: the headers for out-of-tree kbuild. */
  buildDir: string;
}

const MINUTE = 60_000;

/** `line`: a Debian kernel line other than the default (6.12: the ABI linux-image-6.12-amd64 depends on). */
export async function setUp(log: (line: string) => void, line?: string): Promise<KernelSetup> {
  const abi = await resolveAbi(log, line === undefined ? 'linux-image-amd64' : `linux-image-${line}-amd64`);
  const release = `${abi}-amd64`;
  await ensurePackages(['qemu-system-x86', 'busybox-static', 'cpio', 'make', 'libc6-dev', `linux-headers-${release}`], log);
  const buildDir = `/lib/modules/${release}/build`;
  if (!existsSync(path.join(buildDir, 'Makefile'))) fail(`no kernel headers at ${buildDir} after installing linux-headers-${release}`);
  return { release, ...(await kernelImage(release, CACHE, log)), buildDir };
}

/** `apt-cache depends <meta>` (linux-image-amd64, linux-image-6.12-amd64) names linux-image-<abi>-amd64. */
async function resolveAbi(log: (line: string) => void, meta: string): Promise<string> {
  const ask = async () => {
    const out = await run('apt-cache', ['depends', meta], { timeoutMs: MINUTE });
    return /Depends:\s+linux-image-(\S+)-amd64\b/.exec(out.stdout)?.[1];
  };
  let abi = await ask();
  if (!abi) {
    log(`apt-get update (apt-cache does not know ${meta})`);
    await aptUpdate();
    abi = await ask();
  }
  return abi ?? fail(`cannot resolve the kernel ABI: apt-cache depends ${meta} names no linux-image-<abi>-amd64`);
}

/** linux-image-<release>-unsigned unpacked once into `<cache>/kernel/`: the kernel the VM boots and its modules. */
export async function kernelImage(release: string, cache: string, log: (line: string) => void): Promise<KernelImage> {
  const root = await unpackedDeb(`linux-image-${release}-unsigned`, path.join(cache, 'kernel'), log);
  const vmlinuz = path.join(root, 'boot', `vmlinuz-${release}`);
  if (!existsSync(vmlinuz)) fail(`linux-image-${release}-unsigned holds no boot/vmlinuz-${release}`);
  return { vmlinuz, modulesDir: path.join(root, 'lib', 'modules', release, 'kernel'), kallsyms: path.join(root, 'kallsyms') };
}
