// Starts code-server on a workspace with its own user-data and extensions folders (so that
// nothing of the user's own VS Code setup leaks in) and a quiet window: no welcome page,
// no trust prompt, no telemetry, update or recommendation notices.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { lastLine, runOrFail } from '../../tools/src/exec';
import { fail } from '../../tools/src/toolError';
import { codeServerConfig } from './codeServer';

export interface LaunchOptions {
  /** The code-server executable (ensureCodeServer). */
  bin: string;
  /** The folder the window opens. */
  workspace: string;
  extensionsDir: string;
  userDataDir: string;
  /** User settings, on top of QUIET_SETTINGS. */
  settings: Record<string, unknown>;
  /** The port to serve on; taken, 0 or absent: a free one. */
  port?: number;
  /** A .vsix installed into extensionsDir before the start. */
  vsix?: string;
  /** Variables set for code-server and what it starts (the extension host, the language server). */
  env?: Record<string, string>;
  log: (line: string) => void;
}

export interface CodeServer {
  /** The workbench with the workspace open. */
  url: string;
  /** code-server's logs: `<logsDir>/<session>/exthost1/remoteexthost.log` and others. */
  logsDir: string;
  /** What code-server printed, most recent last (bounded). */
  output(): string;
  stop(): Promise<void>;
}

/** Settings for a window that shows only what a test opens. */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'chat.commandCenter.enabled': false,
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'window.restoreWindows': 'none',
};

/** QUIET_SETTINGS overridden by the test's own `settings`. */
export function userSettings(settings: Record<string, unknown>): Record<string, unknown> {
  return { ...QUIET_SETTINGS, ...settings };
}

const SECOND = 1000;
const START_TIMEOUT = 60 * SECOND;
const OUTPUT_LIMIT = 64 * 1024;

export async function launchCodeServer(options: LaunchOptions): Promise<CodeServer> {
  const { bin, workspace, extensionsDir, userDataDir, log } = options;
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), `${JSON.stringify(userSettings(options.settings), null, 2)}\n`);
  const common = ['--config', codeServerConfig(), '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir];
  if (options.vsix) {
    log(`code-server --install-extension ${options.vsix}`);
    await runOrFail(`code-server --install-extension ${options.vsix}`, bin, ['--install-extension', options.vsix, ...common, '--force'], { timeoutMs: 2 * 60 * SECOND });
  }

  const port = (options.port && (await listenable(options.port))) || (await listenable(0)) || fail('no free port on 127.0.0.1');
  if (options.port && port !== options.port) log(`port ${options.port} is taken: using ${port}`);
  const args = [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    ...common,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    workspace,
  ];
  log(`code-server on port ${port} for ${workspace}`);
  // Its own process group, so that stop() ends the extension host and the language server with it.
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...(options.env && { env: { ...process.env, ...options.env } }) });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('close', () => ((exited = true), resolve())));
  child.on('error', (err) => keep(Buffer.from(`\n${err.message}\n`)));

  const stop = async () => {
    if (exited || child.pid === undefined) return;
    signalGroup(child.pid, 'SIGTERM');
    const killed = await Promise.race([exit.then(() => true), delay(10 * SECOND).then(() => false)]);
    if (!killed) signalGroup(child.pid, 'SIGKILL');
    await exit;
  };

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT;
  while (!(await answers(`${base}/healthz`))) {
    if (exited || Date.now() > deadline) {
      await stop();
      fail(`code-server did not answer on ${base} ${exited ? 'and exited' : `within ${START_TIMEOUT / SECOND} s`}: ${lastLine(output) || 'no output'}`);
    }
    await delay(250);
  }
  return {
    url: `${base}/?folder=${encodeURIComponent(workspace)}`,
    logsDir: path.join(userDataDir, 'logs'),
    output: () => output,
    stop,
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2 * SECOND) });
    return response.ok;
  } catch {
    return false;
  }
}

/** A port the system has just handed out, closed again for code-server to take. */
/** The port a listener on 127.0.0.1:`port` (0: any) gets, where code-server binds; 0 when it cannot listen there. */
function listenable(port: number): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.on('error', () => resolve(0));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(bound));
    });
  });
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
