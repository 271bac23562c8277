// A real VS Code for the editor tier: code-server (VS Code inside, published on the npm
// registry), installed once into .cache/code-server/<version>/. Its install scripts download
// ripgrep and prebuilt binaries, which fails offline, so the install runs with
// --ignore-scripts and then does by hand what those scripts would have done: Debian's
// ripgrep, native modules rebuilt from source, the symlinks of code-server's postinstall.sh.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../../server/src/common/packageRoot';
import { ensurePackages } from '../../tools/src/apt';
import { runOrFail } from '../../tools/src/exec';
import { fail } from '../../tools/src/toolError';

/** The newest code-server that runs on Node 20 (4.103 and later need Node 22). */
export const CODE_SERVER_VERSION = '4.100.3';
/** The VS Code inside it. */
export const VSCODE_VERSION = '1.100.3';

const MINUTE = 60_000;
/** Written once `code-server --version` names the version: a half-done install has none and is redone. */
const MARKER = '.klp-installed';

export function codeServerDir(): string {
  return path.join(packageRoot(), '.cache', 'code-server', CODE_SERVER_VERSION);
}

/**
 * A config file of code-server's own in the install folder: code-server writes one with a
 * password into ~/.config/code-server/ when it is not given one.
 */
export function codeServerConfig(): string {
  return path.join(codeServerDir(), 'config.yaml');
}

/** Installs code-server unless already installed; returns the path of its executable (npm's bin link). */
export async function ensureCodeServer(log: (line: string) => void): Promise<string> {
  const dir = codeServerDir();
  const pkg = path.join(dir, 'node_modules', 'code-server');
  const bin = path.join(dir, 'node_modules', '.bin', 'code-server');
  const marker = path.join(dir, MARKER);
  if (existsSync(marker) && existsSync(bin) && readFileSync(marker, 'utf8').trim() === CODE_SERVER_VERSION) return bin;

  const started = Date.now();
  log(`installing code-server ${CODE_SERVER_VERSION} into ${dir}`);
  // Kerberos headers for the kerberos native module; Debian's ripgrep replaces the downloaded one.
  await ensurePackages(['libkrb5-dev', 'pkg-config', 'ripgrep'], log);
  mkdirSync(dir, { recursive: true });
  // A package.json of its own, or npm would install into the nearest one above (klp-lens's).
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'klp-lens-code-server', private: true }, null, 2)}\n`);
  await npm(log, dir, ['install', `code-server@${CODE_SERVER_VERSION}`, '--ignore-scripts', '--no-save']);

  const vscode = path.join(pkg, 'lib', 'vscode');
  await npm(log, vscode, ['install', '--omit=dev', '--ignore-scripts']);
  const rgDir = path.join(vscode, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgDir, { recursive: true });
  copyFileSync('/usr/bin/rg', path.join(rgDir, 'rg'));
  await npm(log, vscode, ['rebuild', '--omit=dev']);

  // What code-server's ci/build/npm-postinstall.sh would have linked.
  link(path.join(vscode, 'node_modules.asar'), 'node_modules');
  link(path.join(vscode, 'bin', 'remote-cli', 'code-server'), 'code-linux.sh');
  link(path.join(vscode, 'bin', 'helpers', 'browser.sh'), 'browser-linux.sh');
  const builtIn = path.join(vscode, 'extensions');
  await npm(log, builtIn, ['install', '--omit=dev', '--ignore-scripts']);
  await npm(log, builtIn, ['rebuild', '--omit=dev']);
  await npm(log, dir, ['rebuild', 'argon2']);

  writeFileSync(codeServerConfig(), 'auth: none\ncert: false\n');
  const version = await runOrFail('code-server --version', bin, ['--version', '--config', codeServerConfig()], { timeoutMs: MINUTE });
  // "4.100.3 <commit> with Code 1.100.3"
  if (!version.stdout.startsWith(`${CODE_SERVER_VERSION} `) || !version.stdout.includes(`with Code ${VSCODE_VERSION}`)) {
    fail(`code-server --version printed ${JSON.stringify(version.stdout.trim())}, not ${CODE_SERVER_VERSION} with Code ${VSCODE_VERSION}`);
  }
  writeFileSync(marker, `${CODE_SERVER_VERSION}\n`);
  log(`code-server ${version.stdout.trim().split('\n')[0]} installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return bin;
}

function npm(log: (line: string) => void, cwd: string, args: string[]) {
  log(`npm ${args.join(' ')} (in ${path.relative(codeServerDir(), cwd) || '.'})`);
  // Under `npm run`, the environment holds klp-lens's own npm_* settings: none of them here.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return runOrFail(`npm ${args.join(' ')} in ${cwd}`, 'npm', args, {
    cwd,
    // node-pty's install script runs `npx node-gyp`, which would ask before installing it.
    env: { ...env, npm_config_yes: 'true', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' },
    timeoutMs: 15 * MINUTE,
  });
}

/** A relative symlink `at -> target`, replacing whatever is there (rmSync removes a link, not what it points to). */
function link(at: string, target: string): void {
  rmSync(at, { recursive: true, force: true });
  mkdirSync(path.dirname(at), { recursive: true });
  symlinkSync(target, at);
}
