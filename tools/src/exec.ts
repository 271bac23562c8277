// Runs the host's programs (apt, make, cpio, qemu, npm, code-server) with a time limit.
import { spawn } from 'node:child_process';
import { fail } from './toolError';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Called with each chunk of stdout as it arrives. */
  onStdout?: (chunk: string) => void;
}

export function run(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: stderr + err.message, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** Runs `command` and fails with a one-line reason unless it exits 0. */
export async function runOrFail(what: string, command: string, args: string[], options: RunOptions): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.timedOut) fail(`${what}: timed out after ${Math.round(options.timeoutMs / 1000)} s`);
  if (result.code !== 0) fail(`${what}: ${lastLine(result.stderr) || lastLine(result.stdout) || `exit ${result.code}`}`);
  return result;
}

export function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? '';
}
