// launchCodeServer against a stand-in for code-server: a Node script that records its
// arguments, answers /healthz, and starts a child of its own (as code-server starts the
// extension host), so that stop() can be seen to end the whole process group.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { launchCodeServer, QUIET_SETTINGS, userSettings } from '../../../editor/src/launch';

const FAKE = `#!${process.execPath}
const fs = require('node:fs');
const http = require('node:http');
const { spawn } = require('node:child_process');
const dir = __DIR__;
const args = process.argv.slice(2);
fs.appendFileSync(dir + '/calls.jsonl', JSON.stringify(args) + '\\n');
if (args.includes('--install-extension')) process.exit(0);
if (process.env.FAKE_EXIT) { console.error('fake: cannot start'); process.exit(3); }
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
fs.writeFileSync(dir + '/child.pid', String(child.pid));
const [host, port] = args[args.indexOf('--bind-addr') + 1].split(':');
http.createServer((req, res) => res.writeHead(req.url === '/healthz' ? 200 : 404).end()).listen(Number(port), host);
`;

let dir: string;
let bin: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'klp-launch-'));
  bin = path.join(dir, 'code-server');
  writeFileSync(bin, FAKE.replace('__DIR__', JSON.stringify(dir)));
  chmodSync(bin, 0o755);
});

afterEach(() => {
  delete process.env.FAKE_EXIT;
  rmSync(dir, { recursive: true, force: true });
});

const calls = () => readFileSync(path.join(dir, 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function options(extra: Partial<Parameters<typeof launchCodeServer>[0]> = {}) {
  return {
    bin,
    workspace: path.join(dir, 'my workspace'),
    extensionsDir: path.join(dir, 'extensions'),
    userDataDir: path.join(dir, 'user-data'),
    settings: { 'klpLens.kernel.buildDir': '/k', 'workbench.startupEditor': 'readme' },
    log: () => undefined,
    ...extra,
  };
}

describe('userSettings', () => {
  it('keeps the quiet defaults and lets the test override them', () => {
    const merged = userSettings({ 'workbench.startupEditor': 'readme', 'klpLens.series': 's' });
    expect(merged['workbench.startupEditor']).toBe('readme');
    expect(merged['klpLens.series']).toBe('s');
    expect(merged['security.workspace.trust.enabled']).toBe(false);
    expect(merged['telemetry.telemetryLevel']).toBe('off');
    expect(Object.keys(merged)).toHaveLength(Object.keys(QUIET_SETTINGS).length + 1);
  });
});

describe('launchCodeServer', () => {
  it('writes the user settings, installs the vsix first, serves the workspace and stops the process group', async () => {
    const server = await launchCodeServer(options({ vsix: '/x/klp.vsix' }));
    try {
      const settings = JSON.parse(readFileSync(path.join(dir, 'user-data', 'User', 'settings.json'), 'utf8'));
      expect(settings).toEqual(userSettings({ 'klpLens.kernel.buildDir': '/k', 'workbench.startupEditor': 'readme' }));
      const [install, start] = calls();
      expect(install.slice(0, 2)).toEqual(['--install-extension', '/x/klp.vsix']);
      expect(install).toContain('--force');
      expect(install[install.indexOf('--extensions-dir') + 1]).toBe(path.join(dir, 'extensions'));
      const port = Number(start[start.indexOf('--bind-addr') + 1].split(':')[1]);
      expect(port).toBeGreaterThan(0);
      expect(start).toEqual(expect.arrayContaining(['--auth', 'none', '--user-data-dir', path.join(dir, 'user-data')]));
      expect(start.at(-1)).toBe(path.join(dir, 'my workspace'));
      expect(server.url).toBe(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(path.join(dir, 'my workspace'))}`);
      expect(server.logsDir).toBe(path.join(dir, 'user-data', 'logs'));
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      await server.stop();
    }
    const child = Number(readFileSync(path.join(dir, 'child.pid'), 'utf8'));
    // The group got SIGTERM; the child may take a moment to go.
    for (let i = 0; i < 40 && alive(child); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(child)).toBe(false);
    await server.stop();
  });

  it('uses the port it is given and installs nothing without a vsix', async () => {
    const probe = await launchCodeServer(options());
    const port = Number(new URL(probe.url).port);
    await probe.stop();
    const server = await launchCodeServer(options({ port }));
    await server.stop();
    expect(calls().filter((c) => c.includes('--install-extension'))).toEqual([]);
    expect(calls()[1]).toContain(`127.0.0.1:${port}`);
  });

  it('serves on a free port when the one it is given is taken, and says so', async () => {
    const taken = http.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => taken.once('listening', resolve));
    const port = (taken.address() as { port: number }).port;
    const lines: string[] = [];
    try {
      const server = await launchCodeServer({ ...options({ port }), log: (l) => lines.push(l) });
      await server.stop();
      const used = Number(new URL(server.url).port);
      expect(used).not.toBe(port);
      expect(used).toBeGreaterThan(0);
      expect(lines).toContain(`port ${port} is taken: using ${used}`);
    } finally {
      taken.close();
    }
  });

  it('fails with code-server\'s last words when it exits before answering', async () => {
    process.env.FAKE_EXIT = '1';
    await expect(launchCodeServer(options())).rejects.toThrow(/did not answer .* and exited: fake: cannot start/);
    expect(existsSync(path.join(dir, 'child.pid'))).toBe(false);
  });
});
