// A tiny LSP client for the protocol tests (test/protocol) and the LSP benchmark (bench/lsp.ts):
// spawns the built server over stdio, answers what a server asks of its client (configuration,
// progress tokens, registrations, refreshes) and records it, and waits for conditions by
// polling (never a fixed sleep).
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DiagnosticRefreshRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities,
  type CodeAction,
  type ConfigurationItem,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type Hover,
  type InitializeResult,
  type LogMessageParams,
  type MessageReader,
  type MessageWriter,
  type Position,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type Registration,
  type TextDocumentContentChangeEvent,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol/node';
import { packageRoot } from '../../server/src/common/packageRoot';
import { KernelStatusNotification, SeriesChangedNotification, type KernelStatus } from '../../server/src/lsp/protocol';

/** bin/klp-lens-server.js, from the sources or from a bundle in dist/. */
const serverBin = () => path.join(packageRoot(), 'bin/klp-lens-server.js');

/** What a capable editor announces (VS Code's set, as far as the server uses it). */
export const CLIENT_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
    diagnostics: { refreshSupport: true },
    workspaceEdit: { documentChanges: true },
  },
  window: { workDoneProgress: true },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
  },
};

/** What a client that cannot pull diagnostics announces (Neovim before 0.10, eglot, Helix): the same, less pull diagnostics and their refresh. */
export const PUSH_CLIENT_CAPABILITIES: ClientCapabilities = {
  ...CLIENT_CAPABILITIES,
  workspace: { ...CLIENT_CAPABILITIES.workspace, diagnostics: undefined },
  textDocument: { ...CLIENT_CAPABILITIES.textDocument, diagnostic: undefined },
};

type ProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

/** Builds dist/ when a test runs without `npm test`'s build step. */
export function ensureBuilt(): void {
  const root = packageRoot();
  if (existsSync(path.join(root, 'dist/server.js'))) return;
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
}

export class TestClient {
  readonly connection: ProtocolConnection;
  /** The `klpLens` section, as workspace/configuration answers it. */
  settings: Record<string, unknown> = {};
  readonly configurationItems: ConfigurationItem[] = [];
  readonly registrations: Registration[] = [];
  readonly progressTokens: Array<string | number> = [];
  readonly progress: Array<{ token: string | number; value: ProgressValue }> = [];
  readonly kernelStatuses: KernelStatus[] = [];
  readonly logs: LogMessageParams[] = [];
  /** textDocument/publishDiagnostics, in order (sent to a client without pull diagnostics). */
  readonly published: PublishDiagnosticsParams[] = [];
  refreshes = 0;
  seriesChanges = 0;
  /** Everything the server wrote, for the tests that look below the connection. */
  transcript = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly versions = new Map<string, number>();

  /** The server's process id (to watch it: its memory, the files it opens). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  private constructor(
    private readonly child: ChildProcess,
    reader: MessageReader,
    writer: MessageWriter,
  ) {
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    child.stdout?.on('data', (chunk: Buffer) => (this.transcript += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    const connection = createProtocolConnection(reader, writer);
    connection.onRequest(ConfigurationRequest.type, (params) => {
      this.configurationItems.push(...params.items);
      return params.items.map((item) => (item.section === 'klpLens' ? this.settings : null));
    });
    connection.onRequest(WorkDoneProgressCreateRequest.type, (params) => {
      this.progressTokens.push(params.token);
      connection.onProgress(WorkDoneProgress.type, params.token, (value) => this.progress.push({ token: params.token, value }));
      return null;
    });
    connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
      return null;
    });
    connection.onRequest(DiagnosticRefreshRequest.type, () => {
      this.refreshes++;
      return null;
    });
    connection.onNotification(LogMessageNotification.type, (params) => this.logs.push(params));
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => this.published.push(params));
    connection.onNotification(KernelStatusNotification.type, (status) => this.kernelStatuses.push(status));
    connection.onNotification(SeriesChangedNotification.type, () => this.seriesChanges++);
    connection.listen();
    this.connection = connection;
  }

  /**
   * The built server over its stdio (`--stdio`) or a Node IPC channel (`--node-ipc`, as VS Code
   * may start it). `server`: another entry point than bin/klp-lens-server.js, which is then
   * not built here (the benchmark's dist/server.js); `nodeArgs`: e.g. --cpu-prof.
   */
  static spawn(transport: 'stdio' | 'ipc' = 'stdio', options: { server?: string; nodeArgs?: string[]; env?: Record<string, string> } = {}): TestClient {
    if (!options.server) ensureBuilt();
    const child = fork(options.server ?? serverBin(), [transport === 'stdio' ? '--stdio' : '--node-ipc'], {
      cwd: '/',
      ...(options.env && { env: { ...process.env, ...options.env } }),
      ...(options.nodeArgs && { execArgv: options.nodeArgs }),
      stdio: ['pipe', 'pipe', 'pipe', 'ipc'],
    });
    if (transport === 'ipc') return new TestClient(child, new IPCMessageReader(child), new IPCMessageWriter(child));
    return new TestClient(child, new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  }

  /** initialize with `folders` as workspace folders, then initialized. */
  async initialize(folders: string[], capabilities = CLIENT_CAPABILITIES, initializationOptions?: unknown): Promise<InitializeResult> {
    const workspaceFolders = folders.map((f) => ({ uri: uriOf(f), name: path.basename(f) }));
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: workspaceFolders[0]?.uri ?? null,
      workspaceFolders,
      capabilities,
      initializationOptions,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  /** Opens a file with its disk text, as version 1. */
  async open(file: string, languageId = 'c'): Promise<string> {
    const uri = uriOf(file);
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text: readFileSync(file, 'utf8') },
    });
    return uri;
  }

  /** Closes a document: the server reads it from the disk again. */
  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Replaces an open document's whole text; returns the new version. */
  change(uri: string, text: string): Promise<number> {
    return this.sendChange(uri, { text });
  }

  /** Replaces `range` of an open document with `text` (an incremental change, as VS Code sends a keystroke); returns the new version. */
  edit(uri: string, range: Range, text: string): Promise<number> {
    return this.sendChange(uri, { range, text });
  }

  private async sendChange(uri: string, change: TextDocumentContentChangeEvent): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [change] });
    return version;
  }

  pull(uri: string, previousResultId?: string): Promise<DocumentDiagnosticReport> {
    return this.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri }, ...(previousResultId && { previousResultId }) });
  }

  /** The quick fixes the server offers for `diagnostic`. */
  async quickFixes(uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
    const actions = await this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: ['quickfix'] } });
    return (actions ?? []).filter((a): a is CodeAction => 'edit' in a || 'kind' in a);
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const report = await this.pull(uri);
    if (report.kind !== 'full') throw new Error(`expected a full report, got ${report.kind}`);
    return report.items;
  }

  /** Writes raw bytes to the server's stdin: several messages in one write arrive in one read. */
  writeRaw(messages: object[]): void {
    const frames = messages.map((m) => {
      const body = Buffer.from(JSON.stringify(m), 'utf8');
      return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
    });
    this.child.stdin?.write(Buffer.concat(frames));
  }

  /** Writes bytes to the server's stdin as they are, framed or not (the tests of bad frames). */
  writeBytes(bytes: string | Buffer): void {
    this.child.stdin?.write(bytes);
  }

  /** Polls `probe` until it returns (or resolves to) something other than undefined or false. */
  async waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; server stderr: ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** shutdown then exit; the process's exit code. */
  async stop(): Promise<number | null> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}
