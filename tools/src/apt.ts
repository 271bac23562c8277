// Debian packages the real-world tiers need (the oracle's qemu and kernel headers, the
// editor tier's Chromium, Neovim and code-server's build needs), installed once with apt.
import { run, runOrFail } from './exec';
import { fail } from './toolError';

export const APT_ENV = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const MINUTE = 60_000;

/** Installs the packages dpkg does not list as installed; fails with apt's own reason. */
export async function ensurePackages(packages: string[], log: (line: string) => void): Promise<void> {
  const status = await run('dpkg-query', ['-W', '-f=${Package} ${Status}\n', ...packages], { timeoutMs: MINUTE });
  const installed = new Set(
    status.stdout.split('\n').filter((l) => l.endsWith(' install ok installed')).map((l) => l.split(' ')[0]),
  );
  const missing = packages.filter((p) => !installed.has(p));
  if (missing.length === 0) return;
  log(`apt-get install ${missing.join(' ')}`);
  const install = () => run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env: APT_ENV, timeoutMs: 20 * MINUTE });
  let result = await install();
  if (result.code !== 0 && !result.timedOut) {
    // An old package list names versions the mirror no longer has.
    await aptUpdate();
    result = await install();
  }
  if (result.code !== 0) {
    const reason = result.stderr.split('\n').find((l) => l.startsWith('E:')) ?? `exit ${result.code}`;
    fail(`apt-get install ${missing.join(' ')} failed: ${reason}`);
  }
}

/** apt-get update; fails with its last line. */
export async function aptUpdate(): Promise<void> {
  await runOrFail('apt-get update', 'apt-get', ['update'], { env: APT_ENV, timeoutMs: 10 * MINUTE });
}

/** The version apt would install of `pkg` (apt-cache policy's Candidate), or a ToolError. */
export async function candidateVersion(pkg: string): Promise<string> {
  const ask = async () => /Candidate:\s+(\S+)/.exec((await run('apt-cache', ['policy', pkg], { timeoutMs: 60_000 })).stdout)?.[1];
  let version = await ask();
  if (!version || version === '(none)') {
    await aptUpdate();
    version = await ask();
  }
  return version && version !== '(none)' ? version : fail(`apt knows no ${pkg}`);
}
