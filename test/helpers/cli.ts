// The klp-lens command run in-process, as a user runs it, its output kept.
import { run } from '../../server/src/cli/run';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function klpLens(...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}
