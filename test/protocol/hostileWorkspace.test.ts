// A hostile workspace opened in the language server (issue 13's bar: items 1, 3 and 5 at
// once): links to /dev/zero and to /, a FIFO named as a patch, links fanning out to their
// parent, series lines naming / and files outside, a patch header that climbs out of the
// source tree. Every request is answered, within 2 s, the server stays under 300 MB, and
// strace (attached to the server) sees it open no file outside the workspace.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentSymbolRequest, HoverRequest, WorkspaceDiagnosticRequest } from 'vscode-languageserver-protocol';
import { packageRoot } from '../../server/src/common/packageRoot';
import { ensurePackages } from '../../tools/src/apt';
import { TestClient, uriOf } from '../../tools/src/lspClient';

/** strace, installed with apt-get where this runs as root (CI) and it is missing. */
async function haveStrace(): Promise<boolean> {
  if (existsSync('/usr/bin/strace')) return true;
  if (process.getuid?.() !== 0) return false;
  return ensurePackages(['strace'], (line) => console.log(`hostile workspace: ${line}`)).then(() => existsSync('/usr/bin/strace'), () => false);
}
let straced = false;

const root = mkdtempSync(path.join(tmpdir(), 'klp-lens-hostile-'));
const ws = path.join(root, 'ws');
const secret = path.join(root, 'secret');
const source = path.join(root, 'src');
const trace = path.join(root, 'strace.log');
let client: TestClient;
let strace: ChildProcess | undefined;

beforeAll(async () => {
  mkdirSync(path.join(ws, 'sub'), { recursive: true });
  mkdirSync(secret);
  mkdirSync(source);
  writeFileSync(path.join(secret, 'x.c'), 'int hidden_name(void)\n{\n\tint a = 1;\n\treturn 42;\n}\n');
  copyFileSync(path.join(packageRoot(), 'examples', 'proc-fix.patch'), path.join(ws, 'fix.patch'));
  symlinkSync('/dev/zero', path.join(ws, 'zero.patch'));
  symlinkSync('/', path.join(ws, 'root'));
  execFileSync('mkfifo', [path.join(ws, 'fifo.patch')]);
  for (let i = 0; i < 10; i++) symlinkSync('..', path.join(ws, 'sub', `up${i}`));
  symlinkSync(path.join(ws, 'fix.patch'), path.join(ws, 'sub', 'again.patch'));
  const up = path.relative(source, secret);
  writeFileSync(path.join(ws, 'header.patch'), `--- a/${up}/x.c\n+++ b/${up}/x.c\n@@ -3,3 +3,3 @@\n \tint a = 1;\n-\treturn 42;\n+\treturn 43;\n }\n`);
  writeFileSync(path.join(ws, 'series'), ['fix.patch', 'header.patch', '/', '/etc/passwd', `../secret/x.c`, '../../../../etc/shadow', 'zero.patch', 'fifo.patch', ''].join('\n'));

  straced = await haveStrace();
  if (!straced) console.warn('[klp-lens tests] the hostile workspace runs without strace: apt-get install strace to check the files the server opens');
  client = TestClient.spawn();
  if (straced) strace = await attachStrace(client.pid!);
  client.settings = { kernel: { sourceDir: source } };
  await client.initialize([ws]);
  await client.waitFor('the kernel', () => client.kernelStatuses.some((s) => s.state === 'ready'));
});

afterAll(async () => {
  strace?.kill();
  await client.stop();
  rmSync(root, { recursive: true, force: true });
});

/** strace following the server and its threads, writing each file it opens to `trace`; resolves once attached. */
function attachStrace(pid: number): Promise<ChildProcess> {
  const child = spawn('strace', ['-f', '-qq', '-e', 'trace=open,openat,openat2', '-o', trace, '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve) => {
    const ready = () => resolve(child);
    // strace says nothing with -qq: it is attached once its output file exists.
    const poll = setInterval(() => existsSync(trace) && (clearInterval(poll), ready()), 20);
  });
}

/** A request's answer within the bar's 2 s (a hang, not a speed, is what this catches). */
async function within2s<T>(what: string, request: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within 2 s`)), 2000)));
  try {
    return await Promise.race([request, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('a hostile workspace in the language server', () => {
  it('answers every request within 2 s, with the refusals as diagnostics', async () => {
    const report = await within2s('workspace/diagnostic', client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] }));
    const seriesReport = report.items.find((r) => r.uri === uriOf(path.join(ws, 'series')));
    const messages = seriesReport?.kind === 'full' ? seriesReport.items.map((d) => `${d.code}: ${d.message}`) : [];
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^outside-workspace: \/ is outside/),
        expect.stringMatching(/^outside-workspace: \/etc\/passwd is outside/),
        expect.stringMatching(/^outside-workspace: .*secret\/x\.c is outside/),
        expect.stringMatching(/^outside-workspace: \/etc\/shadow is outside/),
        expect.stringMatching(/^outside-workspace: .*zero\.patch leads to \/dev\/zero, outside/),
        expect.stringMatching(/^unreadable-input: cannot read .*fifo\.patch: is a FIFO, not a regular file$/),
      ]),
    );
    const fix = uriOf(path.join(ws, 'fix.patch'));
    await within2s('hover', client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: fix }, position: { line: 10, character: 2 } }));
    await within2s('documentSymbol', client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: fix } }));
    const header = await within2s('diagnostics of header.patch', client.diagnostics(uriOf(path.join(ws, 'header.patch'))));
    expect(header.map((d) => d.code)).toContain('outside-workspace');
  });

  it('stays under 300 MB', () => {
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${client.pid}/status`, 'utf8'))?.[1]);
    expect(rss * 1024).toBeLessThan(300 * 1024 * 1024);
  });

  it('opens no file outside the workspace, the source tree and its own installation', async (test) => {
    if (!straced) test.skip();
    await new Promise((resolve) => setTimeout(resolve, 200)); // strace writes as the server runs
    const opened = [...readFileSync(trace, 'utf8').matchAll(/open(?:at2?)?\((?:AT_FDCWD, )?"([^"]*)"/g)].map((m) => m[1]);
    expect(opened.length).toBeGreaterThan(0);
    const outside = opened.filter((f) => f === '/' || f === '/etc/passwd' || f === '/etc/shadow' || f === '/dev/zero' || f.startsWith(secret));
    expect(outside).toEqual([]);
  });
});
