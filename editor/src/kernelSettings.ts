// Which kernel the editor that `npm start` (and the electron runner) opens on the examples
// should read. The examples target Debian 6.1: the real artifacts of Debian's 6.1.0-56-amd64 in
// ../shared when they are there, else the running kernel when it is a Debian 6.1 kernel with its
// build directory installed (the server's default, so no setting), else the small example
// kernel that examples/ ships for machines with neither.
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../../server/src/common/packageRoot';
import { withDefaultKernel } from '../../server/src/kernel/defaultKernel';

const BUILD_DIR = 'klpLens.kernel.buildDir';

/** The kernels this machine has for the examples. */
export interface KernelsHere {
  /** The folder of ../shared's Debian 6.1 artifacts, when present. */
  debianArtifacts: string | undefined;
  /** The running kernel is Debian's 6.1 and its build directory is installed. */
  runningDebian61: boolean;
}

/** The settings that choose the kernel for the examples folder at `examples`. */
export function kernelSettings(here: KernelsHere, examples: string): Record<string, string> {
  if (here.debianArtifacts) return { [BUILD_DIR]: here.debianArtifacts };
  return here.runningDebian61 ? {} : { [BUILD_DIR]: path.join(examples, 'kernel') };
}

/** kernelSettings for this machine. */
export function kernelSettingsHere(examples: string): Record<string, string> {
  const artifacts = path.join(packageRoot(), '..', 'shared', 'kernel', 'debian-6.1.0-56-amd64');
  return kernelSettings({ debianArtifacts: existsSync(artifacts) ? artifacts : undefined, runningDebian61: runningDebian61() }, examples);
}

/**
 * Whether the running kernel is Debian's 6.1 (its version reads "#1 SMP PREEMPT_DYNAMIC Debian
 * 6.1.158-1 (2025-11-09)") with the build directory the server reads by default (kernel/defaultKernel.ts).
 */
export function runningDebian61(): boolean {
  return /\bDebian 6\.1\./.test(os.version()) && withDefaultKernel({}).kernel !== undefined;
}
