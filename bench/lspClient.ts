// The least of an LSP client the benchmark needs: spawns the built server over stdio,
// answers what the server asks of its client (settings, progress tokens, registrations,
// refreshes), and times requests. test/protocol/client.ts does more, but finds the server
// from its own place in the tree, which a bundle in dist/ does not keep.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DiagnosticRefreshRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
  type DocumentDiagnosticReport,
  type Hover,
  type Position,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { KernelStatusNotification, type KernelStatus } from '../server/src/lsp/protocol';

export class BenchClient {
  private readonly connection: ProtocolConnection;
  private readonly versions = new Map<string, number>();
  private readonly resultIds = new Map<string, string>();
  kernel: KernelStatus | undefined;
  stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    settings: Record<string, unknown>,
  ) {
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => (item.section === 'klpLens' ? settings : null)));
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, () => null);
    this.connection.onRequest(RegistrationRequest.type, () => null);
    this.connection.onRequest(DiagnosticRefreshRequest.type, () => null);
    this.connection.onNotification(KernelStatusNotification.type, (status) => (this.kernel = status));
    this.connection.listen();
  }

  /** `node <nodeArgs> <server> --stdio` (nodeArgs: e.g. --cpu-prof). */
  static spawn(server: string, settings: Record<string, unknown>, nodeArgs: string[] = []): BenchClient {
    const child = spawn(process.execPath, [...nodeArgs, server, '--stdio'], { cwd: path.dirname(server), stdio: ['pipe', 'pipe', 'pipe'] });
    return new BenchClient(child, settings);
  }

  async initialize(folder: string): Promise<void> {
    const uri = uriOf(folder);
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: path.basename(folder) }],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, diagnostics: { refreshSupport: true } },
        window: { workDoneProgress: true },
        textDocument: { diagnostic: { dynamicRegistration: false } },
      },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'diff', version: 1, text } });
  }

  /** Incremental sync, as VS Code sends a keystroke: line `line`, of `oldText` before, now reads `newText`. */
  async changeLine(uri: string, line: number, oldText: string, newText: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    const range = { start: { line, character: 0 }, end: { line, character: oldText.length } };
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range, text: newText }] });
  }

  /** The document's diagnostics, naming the last report's resultId as VS Code does (`fresh`: as a client that kept none). */
  async pull(uri: string, fresh = false): Promise<DocumentDiagnosticReport> {
    const previousResultId = fresh ? undefined : this.resultIds.get(uri);
    const report = await this.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri }, ...(previousResultId && { previousResultId }) });
    if (report.resultId !== undefined) this.resultIds.set(uri, report.resultId);
    return report;
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.on('exit', resolve));
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    await exited;
    this.connection.dispose();
  }

  /** Ends the server if it still runs (after a failure). */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}
