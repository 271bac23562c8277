// Installs what the oracle needs through apt and caches the kernel image: the ABI is the one
// linux-image-amd64 depends on now (security updates replace old ABIs in the archive).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { aptUpdate, ensurePackages } from '../../tools/src/apt';
import { downloadDeb } from '../../tools/src/debianData';
import { run, runOrFail } from '../../tools/src/exec';
import { fail } from '../../tools/src/toolError';
import { CACHE } from './paths';

export interface KernelSetup {
  /** e.g. 6.1.0-56-amd64 */
  release: string;
  vmlinuz: string;
  /** /lib/modules/<release>/build: the headers for out-of-tree kbuild. */
  buildDir: string;
}

const MINUTE = 60_000;

export async function setUp(log: (line: string) => void): Promise<KernelSetup> {
  const abi = await resolveAbi(log);
  const release = `${abi}-amd64`;
  await ensurePackages(['qemu-system-x86', 'busybox-static', 'cpio', 'make', 'libc6-dev', `linux-headers-${release}`], log);
  const buildDir = `/lib/modules/${release}/build`;
  if (!existsSync(path.join(buildDir, 'Makefile'))) fail(`no kernel headers at ${buildDir} after installing linux-headers-${release}`);
  return { release, vmlinuz: await ensureKernelImage(release, log), buildDir };
}

/** `apt-cache depends linux-image-amd64` names linux-image-<abi>-amd64. */
async function resolveAbi(log: (line: string) => void): Promise<string> {
  const ask = async () => {
    const out = await run('apt-cache', ['depends', 'linux-image-amd64'], { timeoutMs: MINUTE });
    return /Depends:\s+linux-image-(\S+)-amd64\b/.exec(out.stdout)?.[1];
  };
  let abi = await ask();
  if (!abi) {
    log('apt-get update (apt-cache does not know linux-image-amd64)');
    await aptUpdate();
    abi = await ask();
  }
  return abi ?? fail('cannot resolve the kernel ABI: apt-cache depends linux-image-amd64 names no linux-image-<abi>-amd64');
}

/** vmlinuz from linux-image-<release>-unsigned, downloaded once into .cache/oracle/kernel/. */
async function ensureKernelImage(release: string, log: (line: string) => void): Promise<string> {
  const dir = path.join(CACHE, 'kernel', release);
  const vmlinuz = path.join(dir, `vmlinuz-${release}`);
  if (existsSync(vmlinuz)) return vmlinuz;
  mkdirSync(dir, { recursive: true });
  const pkg = `linux-image-${release}-unsigned`;
  const deb = await downloadDeb(pkg, dir, log);
  await runOrFail(
    `extracting vmlinuz from ${deb}`,
    'sh',
    ['-c', `dpkg-deb --fsys-tarfile "$1" | tar -x -O "./boot/vmlinuz-$2" > "$3.part" && mv "$3.part" "$3"`, 'sh', deb, release, vmlinuz],
    { cwd: dir, timeoutMs: 5 * MINUTE },
  );
  rmSync(deb);
  return vmlinuz;
}
