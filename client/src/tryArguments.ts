// The command line the "Try the Series in a VM" command runs (a pure function: test/unit/client).
import * as path from 'node:path';

export interface TryInputs {
  cli: string;
  release: string;
  folder: string;
  /** klpLens.kernel.buildDir and klpLens.series as the settings give them ('' when unset). */
  buildDir: string;
  series: string;
}

/** The command line of `klp-lens try`; relative settings are read from the workspace folder. */
export function tryArguments(inputs: TryInputs): string[] {
  const inFolder = (p: string) => path.resolve(inputs.folder, p);
  return [
    inputs.cli,
    'try',
    '--vm-kernel',
    inputs.release,
    ...(inputs.buildDir ? ['--kernel', inFolder(inputs.buildDir)] : []),
    ...(inputs.series ? ['--series', inFolder(inputs.series)] : []),
    inputs.folder,
  ];
}
