// Running the build's programs (make, gcc through kbuild, patch) for the compile check.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `command args` in `cwd`; a program that cannot start gives code 127 and the reason in stderr. */
export function runProgram(command: string, args: readonly string[], options: { cwd: string; input?: string; env?: Record<string, string> }): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env, LC_ALL: 'C' }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => resolve({ code: 127, stdout: '', stderr: `${command}: ${e.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** What building a kernel object needs (build-truth.md), and the Debian package each comes from. */
const NEEDS: readonly { what: string; present: () => boolean; apt: string }[] = [
  { what: 'gcc', present: () => onPath('gcc'), apt: 'gcc' },
  { what: 'make', present: () => onPath('make'), apt: 'make' },
  { what: 'flex', present: () => onPath('flex'), apt: 'flex' },
  { what: 'bison', present: () => onPath('bison'), apt: 'bison' },
  { what: 'bc', present: () => onPath('bc'), apt: 'bc' },
  { what: 'patch', present: () => onPath('patch'), apt: 'patch' },
  { what: 'libelf headers (gelf.h)', present: () => existsSync('/usr/include/gelf.h'), apt: 'libelf-dev' },
  { what: 'OpenSSL headers', present: () => existsSync('/usr/include/openssl/ssl.h'), apt: 'libssl-dev' },
];

/** The missing build tools, as a sentence that says how to install them; undefined when all are there. */
export function missingBuildTools(): string | undefined {
  const missing = NEEDS.filter((n) => !n.present());
  if (missing.length === 0) return undefined;
  return (
    `the compile check needs ${missing.map((m) => m.what).join(', ')}: ` +
    `apt-get install --no-install-recommends ${missing.map((m) => m.apt).join(' ')}`
  );
}

/** Whether `program` is in a folder of $PATH. */
export function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir !== '' && existsSync(`${dir}/${program}`));
}
