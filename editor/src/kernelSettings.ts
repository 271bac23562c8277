// Which kernel the editor that `npm start` (and the electron runner) opens on the examples
// should read: the running kernel when its build directory is installed (the server's
// default, so no setting), else the example kernel that examples/ ships.
import * as path from 'node:path';
import { withDefaultKernel } from '../../server/src/kernel/defaultKernel';

/** The settings that choose the kernel for the examples folder at `examples`. */
export function kernelSettings(runningKernelBuilt: boolean, examples: string): Record<string, string> {
  return runningKernelBuilt ? {} : { 'klpLens.kernel.buildDir': path.join(examples, 'kernel') };
}

/** kernelSettings for this machine: the server's own default (kernel/defaultKernel.ts) decides whether the running kernel is there. */
export function kernelSettingsHere(examples: string): Record<string, string> {
  return kernelSettings(withDefaultKernel({}).kernel !== undefined, examples);
}
