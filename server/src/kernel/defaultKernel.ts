// Which kernel to read when the user names none: the one running here, as the
// command and the language server both do.
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import type { KernelOptions } from './context';

/** With no kernel named, the running kernel's build directory, when it is installed. */
export function withDefaultKernel(options: KernelOptions): KernelOptions {
  if (Object.values(options).some((v) => v !== undefined)) return options;
  const build = `/lib/modules/${os.release()}/build`;
  return existsSync(build) ? { kernel: build } : options;
}
