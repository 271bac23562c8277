// The server target: one server process per case (dist/server.js over stdio, with a heap limit
// and an RSS bound), spoken to at the byte level: the case's early requests, `initialize`, its
// documents opened, its steps, then probes (documentSymbol) that a live server answers. The
// server must never crash, never answer -32603 (an exception out of a handler), never print a
// stack trace or log an uncaught exception, and must still answer after the steps.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLIENT_CAPABILITIES } from '../../tools/src/lspClient';
import { HEAP_MB, watch } from './bounded';
import { DEBIAN_KERNEL, ROOT } from './corpus';
import { FrameReader, frame, type JsonRpcMessage } from './lspFrames';
import { firstLines, hasStackTrace, isSafetyNet, type Outcome } from './outcome';
import { serverCase, stepBytes, type ServerCase, type Step } from './serverCase';
import type { Target } from './target';
import { KERNEL_DIRS, writeWorkspace, type KernelChoice } from './workspaceCase';

const SERVER = path.join(ROOT, 'dist/server.js');
const INTERNAL_ERROR = -32603;
/** How long a live server may take to answer `initialize` and each probe. */
const ANSWER_MS = 10_000;
const PROBES = 3;
/** LogMessage's type Error. */
const LOG_ERROR = 1;

/** The `klpLens` settings that name the case's kernel. */
function settingsOf(kernel: KernelChoice, dir: string): Record<string, unknown> {
  if (kernel.kind === 'dir') return { kernel: { buildDir: KERNEL_DIRS[kernel.dir] } };
  if (kernel.kind === 'none') return {};
  const { modules, ...files } = kernel.files;
  const named = Object.fromEntries(Object.entries(files).map(([key, rel]) => [key, path.join(dir, rel)]));
  return { kernel: { ...named, ...(modules && { modulesDir: path.join(dir, modules) }) } };
}

const LANGUAGES: Record<string, string> = { '.patch': 'diff', '.c': 'c', '.csv': 'plaintext' };

/** A session with the server: what it answered, logged and printed. */
class Session {
  readonly answers = new Map<string, JsonRpcMessage>();
  readonly internalErrors: string[] = [];
  readonly logErrors: string[] = [];
  stderr = '';
  exited = false;
  private readonly requests = new Map<string, string>();
  private readonly child;
  private readonly reader = new FrameReader();

  constructor(
    private readonly dir: string,
    private readonly settings: Record<string, unknown>,
  ) {
    this.child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, SERVER, '--stdio'], { cwd: '/', stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => this.reader.push(chunk).forEach((m) => typeof m !== 'string' && this.receive(m)));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString('utf8')).slice(-20_000)));
    this.child.stdin.on('error', () => undefined);
    this.child.on('exit', () => (this.exited = true));
  }

  get process() {
    return this.child;
  }

  write(bytes: Buffer): void {
    if (!this.exited) this.child.stdin.write(bytes);
  }

  /** Writes a step, remembering the method of each request it makes (to name it when it fails). */
  step(step: Step): void {
    const message = 'message' in step ? (step.message as JsonRpcMessage | null) : null;
    if (message && typeof message === 'object' && message.id !== undefined && typeof message.method === 'string') this.requests.set(JSON.stringify(message.id), message.method);
    this.write(stepBytes(step, this.dir));
  }

  request(id: string, method: string, params: unknown): void {
    this.requests.set(JSON.stringify(id), method);
    this.write(frame(JSON.stringify({ jsonrpc: '2.0', id, method, params })));
  }

  notify(method: string, params: unknown): void {
    this.write(frame(JSON.stringify({ jsonrpc: '2.0', method, params })));
  }

  /** Resolves true when request `id` is answered within `ms`, false otherwise (or once the server is gone). */
  async answered(id: string, ms: number): Promise<boolean> {
    const deadline = performance.now() + ms;
    while (performance.now() < deadline && !this.exited) {
      if (this.answers.has(id)) return true;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.answers.has(id);
  }

  private receive(message: JsonRpcMessage): void {
    if (message.method !== undefined && message.id !== undefined) return this.answerServer(message);
    if (message.method === 'window/logMessage') {
      const params = message.params as { type: number; message: string };
      if (params.type === LOG_ERROR && (hasStackTrace(params.message) || /uncaught exception|unhandled rejection/.test(params.message))) this.logErrors.push(params.message);
      return;
    }
    if (message.id === undefined || message.method !== undefined) return;
    const key = JSON.stringify(message.id);
    this.answers.set(typeof message.id === 'string' ? message.id : key, message);
    if (message.error?.code === INTERNAL_ERROR) this.internalErrors.push(`${this.requests.get(key) ?? 'a request'} (id ${key}): ${message.error.message}`);
  }

  /** What the server asks of its client: the settings; null to everything else. */
  private answerServer(message: JsonRpcMessage): void {
    const items = message.method === 'workspace/configuration' ? ((message.params as { items?: Array<{ section?: string }> }).items ?? []) : undefined;
    const result = items ? items.map((item) => (item.section === 'klpLens' ? this.settings : null)) : null;
    this.write(frame(JSON.stringify({ jsonrpc: '2.0', id: message.id, result })));
  }
}

async function converse(session: Session, c: ServerCase, dir: string): Promise<string | undefined> {
  c.early.forEach((step) => session.step(step));
  const folder = pathToFileURL(dir).href;
  session.request('initialize', 'initialize', { processId: process.pid, rootUri: folder, workspaceFolders: [{ uri: folder, name: 'ws' }], capabilities: CLIENT_CAPABILITIES });
  if (!(await session.answered('initialize', ANSWER_MS))) return session.exited ? undefined : `no answer to initialize within ${ANSWER_MS} ms`;
  session.notify('initialized', {});
  const docs = Object.entries(c.workspace.files).filter(([rel, text]) => typeof text === 'string' && !rel.startsWith('kernel/') && rel !== 'series');
  for (const [rel, text] of docs) {
    session.notify('textDocument/didOpen', { textDocument: { uri: pathToFileURL(path.join(dir, rel)).href, languageId: LANGUAGES[path.extname(rel)] ?? 'plaintext', version: 1, text } });
  }
  c.steps.forEach((step) => session.step(step));
  // A frame that claims more bytes than it brought swallows what follows: each probe is sent again until one is answered.
  const uri = pathToFileURL(path.join(dir, docs[0]?.[0] ?? 'series')).href;
  for (let probe = 0; probe < PROBES; probe++) {
    session.request(`probe-${probe}`, 'textDocument/documentSymbol', { textDocument: { uri } });
    if (await session.answered(`probe-${probe}`, ANSWER_MS / PROBES)) return undefined;
    if (session.exited) return undefined;
  }
  return `no answer to ${PROBES} probes (documentSymbol) within ${ANSWER_MS} ms after the steps`;
}

export const serverTarget: Target<ServerCase> = {
  bounds: { ms: 40_000, rssMb: 1024 },
  arbitrary: (corpus) => serverCase(corpus, existsSync(DEBIAN_KERNEL)),
  async run(c): Promise<Outcome> {
    const dir = mkdtempSync(path.join(tmpdir(), 'klp-fuzz-server-'));
    const start = performance.now();
    const session = new Session(dir, settingsOf(c.workspace.kernel, dir));
    const watcher = watch(session.process, this.bounds);
    try {
      writeWorkspace(dir, c.workspace.files);
      const deaf = await converse(session, c, dir);
      const exitedEarly = session.exited;
      session.request('shutdown', 'shutdown', null);
      await session.answered('shutdown', ANSWER_MS);
      session.notify('exit', null);
      const { peakRssMb, exceeded } = watcher.stop();
      const measured = { ms: performance.now() - start, rssMb: peakRssMb };
      const stderr = firstLines(session.stderr.trim(), 12);
      if (exceeded) return { verdict: 'over-bound', detail: `${exceeded.bound} bound passed (${exceeded.value.toFixed(0)})`, ...measured };
      if (session.internalErrors.length > 0) return { verdict: 'escaped', detail: `-32603 internal error: ${session.internalErrors.join('; ')}`, ...measured };
      if (session.logErrors.some((m) => /uncaught exception|unhandled rejection/.test(m))) return { verdict: 'escaped', detail: session.logErrors.join('\n'), ...measured };
      if (hasStackTrace(session.stderr)) return { verdict: 'escaped', detail: `a stack trace on stderr: ${stderr}`, ...measured };
      if (exitedEarly && stderr === '') return { verdict: 'escaped', detail: `the server exited with no message (exit ${session.process.exitCode ?? session.process.signalCode})`, ...measured };
      if (deaf) return { verdict: 'over-bound', detail: deaf, ...measured };
      return { verdict: 'ok', caught: session.logErrors.filter((m) => hasStackTrace(m) || isSafetyNet(m)), ...measured };
    } finally {
      watcher.stop();
      if (session.process.exitCode === null) session.process.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  },
  save(c, dir) {
    writeWorkspace(path.join(dir, 'workspace'), c.workspace.files);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'steps.json'), JSON.stringify({ early: c.early, steps: c.steps, kernel: c.workspace.kernel }, null, 1));
    return [];
  },
};
