// The LivepatchWorkspace: what the server knows between requests. Workspace folders,
// settings, open documents laid over the disk, the kernel context (built in the
// background), and the analysis of the whole workspace, recomputed lazily: every change
// bumps `version`, and the first request after it runs the one analysis that all the
// following requests share. With several folders, one analysis covers them all and the
// first folder's settings apply (kernel, series, severities).
import * as path from 'node:path';
import {
  DiagnosticRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  Emitter,
  FileChangeType,
  TextDocuments,
  type CancellationToken,
  type ClientCapabilities,
  type Connection,
  type Disposable,
  type DidChangeConfigurationParams,
  type DidChangeWatchedFilesParams,
  type InitializeParams,
  type ProtocolNotificationType,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisSession } from '../analysis/session';
import type { CompilerAnswer } from '../model/compilerAnswer';
import { nodeFileSource } from '../common/fileSource';
import { errorMessage, type Problem } from '../common/problem';
import type { KernelOptions } from '../kernel/context';
import { cancelled, guardNotification, guardRequest, type Answer } from './guard';
import { KernelIndex } from './kernelIndex';
import { kernelOptionsOf } from './kernelOptions';
import type { Logger } from './logger';
import { SeriesChangedNotification, WorkspaceTrustedNotification, type InitializationOptions } from './protocol';
import { readSettings, type Settings } from './settings';
import { isLivepatchFile } from '../model/plan';
import { pathToUri, uriToPath } from './uris';
import { isKernelFile, kernelWatchers, WORKSPACE_WATCHERS } from './watchers';
import { analyseWorkspace, type WorkspaceView } from './workspaceView';

export type { WorkspaceView } from './workspaceView';

const SETTINGS_SECTION = 'klpLens';
/** How long a burst of changes (typing, a rebuild writing files) is waited out before telling the client. */
const SETTLE_MS = 200;

export class LivepatchWorkspace {
  readonly documents = new TextDocuments(TextDocument);
  private readonly kernel: KernelIndex;
  /** The complaints of each file's last "Build module", with the text built. */
  private readonly buildProblems = new Map<string, { text: string; problems: readonly Problem[] }>();
  /** The one analysis session of the server's life (it owns the C parser and what analyses reuse). */
  private readonly session: Promise<AnalysisSession>;
  private folders: string[] = [];
  private settings: Settings = readSettings(undefined);
  /** The kernel the settings name; undefined until the first settings are read. */
  private kernelOptions: KernelOptions | undefined;
  /** Open documents' URIs by path, in the client's spelling. */
  private readonly openUris = new Map<string, string>();
  private client: ClientCapabilities = {};
  /** Whether programs may run for the workspace (protocol.ts InitializationOptions). */
  private trusted = true;
  /** Requests wait for the first settings (which name the series), not for the kernel. */
  private readonly settingsRead: Promise<void>;
  /** A settings change being read (workspace/configuration) after didChangeConfiguration. */
  private settingsPending: Promise<void> = Promise.resolve();
  private markSettingsRead!: () => void;
  private version = 0;
  private latest: WorkspaceView | undefined;
  /** What the next analysis may reuse of the last one. */
  private kernelWatch: Promise<Disposable | undefined> | undefined;
  private notifyTimer: NodeJS.Timeout | undefined;
  private reindexTimer: NodeJS.Timeout | undefined;
  private readonly settled = new Emitter<void>();
  /** Fired when a pull client is asked to refresh: once changes settle (see changed()). */
  readonly onSettled = this.settled.event;

  constructor(
    private readonly connection: Connection,
    readonly logger: Logger,
  ) {
    this.settingsRead = new Promise((resolve) => (this.markSettingsRead = resolve));
    this.kernel = new KernelIndex(connection, logger, () => this.changed(true));
    this.session = AnalysisSession.create();
    // Seen here so that an unloadable grammar is logged once, not per request.
    this.session.catch((err) => logger.error('cannot load the C grammar', err));
  }

  /** From `initialize`: the client's capabilities and the workspace folders. */
  initialize(params: InitializeParams): void {
    this.client = params.capabilities;
    this.trusted = (params.initializationOptions as InitializationOptions | null | undefined)?.workspaceTrusted !== false;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.folders = folders.map(uriToPath).filter((f): f is string => f !== undefined);
  }

  /** Why no program may run for the workspace (the compile check, a module build), or undefined when they may. */
  programsRefused(): string | undefined {
    return this.trusted ? undefined : 'the workspace is not trusted: Livepatch Lens runs no program for it until you trust it';
  }

  /** Whether the client pulls diagnostics (textDocument/diagnostic); the others get them pushed. */
  get pullsDiagnostics(): boolean {
    return this.client.textDocument?.diagnostic !== undefined;
  }

  /** Binds the document and workspace notifications (before connection.listen()). */
  listen(): void {
    const { connection, documents, logger } = this;
    documents.listen(connection);
    documents.onDidOpen((e) => {
      const file = uriToPath(e.document.uri);
      if (file !== undefined) this.openUris.set(file, e.document.uri);
    });
    documents.onDidChangeContent(guardNotification(logger, 'didChange', (e) => this.documentText(e.document.uri, e.document.getText())));
    documents.onDidClose(
      guardNotification(logger, 'didClose', (e) => {
        const file = uriToPath(e.document.uri);
        if (file !== undefined) this.openUris.delete(file);
        this.documentText(e.document.uri, file === undefined ? undefined : nodeFileSource().readText(file), true);
      }),
    );
    connection.onInitialized(guardNotification(logger, 'initialized', () => this.start()));
    // A session shorter than the wait for idleness still leaves the kernel's caches for the next.
    connection.onShutdown(() => this.kernel.writeCaches());
    connection.onNotification(WorkspaceTrustedNotification.type, () => (this.trusted = true));
    connection.onDidChangeConfiguration(guardNotification(logger, 'didChangeConfiguration', (p) => this.configurationChanged(p)));
    connection.onDidChangeWatchedFiles(guardNotification(logger, 'didChangeWatchedFiles', (p) => this.filesChanged(p)));
  }

  /**
   * A request handler over the current analysis, guarded: a request cancelled before its
   * turn is not computed, an exception is logged and answered with `fallback`.
   */
  viewHandler<P, R>(
    name: string,
    fallback: R,
    answer: (view: WorkspaceView, params: P, token: CancellationToken) => Answer<R> | Promise<Answer<R>>,
  ): (params: P, token: CancellationToken) => Promise<Answer<R>> {
    return guardRequest(this.logger, name, fallback, async (params: P, token) => {
      const view = await this.view();
      return token.isCancellationRequested ? cancelled() : answer(view, params, token);
    });
  }

  /** The complaints of the last "Build module" of a file, shown while it reads as it was built. */
  takeBuildProblems(file: string, text: string, problems: readonly Problem[]): void {
    this.buildProblems.set(file, { text, problems });
    this.changed(true);
  }

  /** The compiler's answer for a patch ("Verify with the compiler"): the patch is read as it says while its text is the one compiled. */
  async takeCompilerAnswer(file: string, answer: CompilerAnswer): Promise<void> {
    (await this.session).compilerAnswers.set(file, answer);
    this.changed(true);
  }

  /** The analysis of the workspace as it is now: the cached one unless something changed since. */
  async view(): Promise<WorkspaceView> {
    const session = await this.session;
    await this.settingsRead;
    await this.settingsPending;
    if (this.latest?.version === this.version) return this.latest;
    this.latest = analyseWorkspace({
      version: this.version,
      settings: this.settings,
      folders: this.folders,
      documents: this.documents,
      kernel: this.kernel.context,
      kernelStatus: () => this.kernel.status,
      uriOf: (file) => this.openUris.get(path.resolve(file)) ?? pathToUri(file),
      session,
      buildProblems: this.buildProblems,
      logger: this.logger,
    });
    this.kernel.writeCachesWhenIdle();
    return this.latest;
  }

  /** After `initialized`: settings, then the kernel in the background, then the file watchers. */
  private async start(): Promise<void> {
    const workspace = this.client.workspace;
    if (workspace?.workspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders(guardNotification(this.logger, 'didChangeWorkspaceFolders', (e) => this.foldersChanged(e)));
    }
    if (workspace?.didChangeConfiguration?.dynamicRegistration) {
      await this.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    }
    await this.applySettings(await this.fetchSettings());
    if (workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      await this.register(DidChangeWatchedFilesNotification.type, { watchers: WORKSPACE_WATCHERS });
    }
  }

  /** A dynamic registration; one the client refuses is logged and done without. */
  private register<P, RO>(type: ProtocolNotificationType<P, RO>, options: RO): Promise<Disposable | undefined> {
    return this.connection.client.register(type, options).catch((err: unknown) => {
      this.logger.warn(`the client refused ${type.method}: ${errorMessage(err)}`);
      return undefined;
    });
  }

  /** Settings of the first folder (resource scope); a client without workspace/configuration pushes them instead. */
  private async fetchSettings(pushed?: unknown): Promise<Settings> {
    if (!this.client.workspace?.configuration) return readSettings(pushed);
    const scopeUri = this.folders[0] === undefined ? undefined : pathToUri(this.folders[0]);
    try {
      return readSettings(await this.connection.workspace.getConfiguration({ scopeUri, section: SETTINGS_SECTION }));
    } catch (err) {
      this.logger.error('cannot read the settings', err);
      return this.settings;
    }
  }

  private async applySettings(settings: Settings): Promise<void> {
    this.settings = settings;
    this.markSettingsRead();
    this.changed(true);
    const options = kernelOptionsOf(settings.kernel, this.folders[0], settings.limits);
    // Settings that leave the kernel alone do not read it again.
    if (JSON.stringify(options) === JSON.stringify(this.kernelOptions)) return;
    this.kernelOptions = options;
    this.watchKernel(options);
    // Not awaited: requests are answered while the kernel is read.
    void this.kernel.load(options);
  }

  private async configurationChanged(params: DidChangeConfigurationParams): Promise<void> {
    const pushed = (params.settings as Record<string, unknown> | null | undefined)?.[SETTINGS_SECTION];
    // Requests that arrive meanwhile wait for the new settings rather than answer from the old ones.
    this.settingsPending = this.fetchSettings(pushed).then((settings) => this.applySettings(settings));
    await this.settingsPending;
  }

  private async foldersChanged(event: WorkspaceFoldersChangeEvent): Promise<void> {
    const removed = new Set(event.removed.map((f) => uriToPath(f.uri)));
    const added = event.added.map((f) => uriToPath(f.uri)).filter((f): f is string => f !== undefined);
    this.folders = [...this.folders.filter((f) => !removed.has(f)), ...added];
    await this.applySettings(await this.fetchSettings());
  }

  private watchKernel(options: KernelOptions): void {
    const files = this.client.workspace?.didChangeWatchedFiles;
    if (!files?.dynamicRegistration || !files.relativePatternSupport) return;
    void this.kernelWatch?.then((registration) => registration?.dispose());
    this.kernelWatch = this.register(DidChangeWatchedFilesNotification.type, { watchers: kernelWatchers(options) });
  }

  private filesChanged(params: DidChangeWatchedFilesParams): void {
    let workspaceChanged = false;
    for (const change of params.changes) {
      const file = uriToPath(change.uri);
      if (file === undefined) continue;
      if (this.kernelOptions && isKernelFile(file, this.kernelOptions)) this.scheduleReindex();
      // The open document's text wins over the disk's, unless the file appears or goes.
      else if (change.type !== FileChangeType.Changed || !this.documents.get(change.uri)) workspaceChanged = true;
    }
    if (workspaceChanged) this.changed(true);
  }

  /** A rebuild rewrites many kernel files: read the kernel once they settle. */
  private scheduleReindex(): void {
    clearTimeout(this.reindexTimer);
    this.reindexTimer = setTimeout(() => void this.kernel.load(this.kernelOptions ?? {}), SETTLE_MS);
  }

  /**
   * A document's text changed (or, closed, gave way to the disk's): nothing to redo if the
   * analysis read that very text, unless the document is a livepatch whose opening or closing
   * adds it to the analysis or takes it out (an open livepatch is analysed even when the series
   * does not list it: workspaceView.ts).
   */
  private documentText(uri: string, text: string | undefined, closed = false): void {
    const file = uriToPath(uri);
    if (file === undefined) return;
    const latest = this.latest?.version === this.version ? this.latest : undefined;
    const seen = latest?.readText(file);
    const analysed = latest?.analysis.livepatches.some((lp) => path.resolve(lp.file) === file) ?? false;
    const joins = !closed && !analysed && text !== undefined && isLivepatchFile(file, text);
    if (seen === undefined || seen !== text || joins || (closed && analysed)) this.changed(false);
  }

  /**
   * Something the analysis depends on changed. Once changes settle, the client is asked to
   * pull diagnostics again (an edit in one patch can raise or clear a finding in another)
   * or, when it cannot pull, gets them pushed (onSettled), and series views to re-request
   * the state. `now` skips the wait (settings, kernel, files).
   */
  private changed(now: boolean): void {
    this.version++;
    clearTimeout(this.notifyTimer);
    const notify = () => {
      if (this.client.workspace?.diagnostics?.refreshSupport) {
        this.connection.sendRequest(DiagnosticRefreshRequest.type).catch((err: unknown) => this.logger.warn(`the client refused a diagnostic refresh: ${errorMessage(err)}`));
      }
      this.settled.fire();
      this.connection.sendNotification(SeriesChangedNotification.type, {}).catch(() => undefined);
    };
    this.notifyTimer = setTimeout(notify, now ? 0 : SETTLE_MS);
  }
}
