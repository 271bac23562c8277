// The kernel context, built in the background after `initialized` with a progress bar
// (window/workDoneProgress) and announced with klpLens/kernelStatus. Requests keep being
// answered meanwhile, against the previous context. A newer load supersedes an older one.
import type { Connection } from 'vscode-languageserver';
import { errorMessage } from '../common/problem';
import { CacheWrites } from '../kernel/cacheWrites';
import { loadKernelContext, type KernelOptions } from '../kernel/context';
import { emptyKernelContext, type KernelContext } from '../kernel/types';
import { describeKernel, kernelSource } from './kernelOptions';
import type { Logger } from './logger';
import { KernelStatusNotification, type KernelStatus } from './protocol';

/** Kernel problems written to the log; a malformed file can have thousands. */
const MAX_LOGGED = 20;
/** The kernel's caches are written once no analysis was asked for this long (writeCachesWhenIdle()). */
const CACHE_WRITE_IDLE_MS = 1_000;

interface Progress {
  done(): void;
}

export class KernelIndex {
  private loaded: KernelContext = emptyKernelContext();
  private state: KernelStatus = { state: 'none', description: 'not read yet', source: null };
  private generation = 0;
  /** The cache writes of the last load, done once the server is idle (writeCachesWhenIdle()). */
  private unwritten: CacheWrites | undefined;
  private writeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly logger: Logger,
    /** Called when a load ends and its context replaced the previous one. */
    private readonly onLoaded: () => void,
  ) {}

  get context(): KernelContext {
    return this.loaded;
  }

  get status(): KernelStatus {
    return this.state;
  }

  /** Reads the kernel `options` name; its context replaces the current one unless another load started meanwhile. */
  async load(options: KernelOptions): Promise<void> {
    const generation = ++this.generation;
    const source = kernelSource(options);
    this.setStatus({ state: 'indexing', description: `reading ${source ?? 'no kernel'}`, source });
    const progress = await this.beginProgress(source);
    const started = Date.now();
    try {
      const writes = new CacheWrites();
      const context = await loadKernelContext({ ...options, cacheWrites: writes });
      if (generation !== this.generation) return;
      this.loaded = context;
      this.unwritten = writes;
      this.writeCachesWhenIdle();
      const status = describeKernel(context, options);
      this.logger.info(`kernel: ${status.description} (${Date.now() - started} ms)`);
      this.logProblems(context);
      this.setStatus(status);
      this.onLoaded();
    } catch (err) {
      // loadKernelContext returns its problems; only a bug gets here.
      this.logger.error('cannot read the kernel', err);
    } finally {
      progress.done();
    }
  }

  /**
   * Writes the caches of the kernel loaded (its module index, its parsed artifacts) once no
   * analysis was asked for CACHE_WRITE_IDLE_MS: called after each, so that neither the first
   * diagnostics with a new kernel nor the edits that follow wait for them (a full kernel's: ~1.2 s).
   */
  writeCachesWhenIdle(): void {
    if (!this.unwritten?.size) return;
    clearTimeout(this.writeTimer);
    this.writeTimer = setTimeout(() => this.writeCaches(), CACHE_WRITE_IDLE_MS);
  }

  /** Writes the caches of the kernel loaded now, if they are not written yet. */
  writeCaches(): void {
    clearTimeout(this.writeTimer);
    const writes = this.unwritten;
    this.unwritten = undefined;
    writes?.flush();
  }

  private logProblems(context: KernelContext): void {
    for (const p of context.problems.slice(0, MAX_LOGGED)) this.logger.warn(`kernel: ${p.file}:${p.range.start.line + 1}: ${p.message}`);
    if (context.problems.length > MAX_LOGGED) this.logger.warn(`kernel: ${context.problems.length - MAX_LOGGED} more problems`);
  }

  private setStatus(status: KernelStatus): void {
    this.state = status;
    void this.connection.sendNotification(KernelStatusNotification.type, status).catch(() => undefined);
  }

  /** A progress bar when the client has them; a client that refuses one gets none. */
  private async beginProgress(source: string | null): Promise<Progress> {
    try {
      const reporter = await this.connection.window.createWorkDoneProgress();
      reporter.begin('klp-lens: reading the kernel', undefined, source ?? undefined, false);
      return { done: () => reporter.done() };
    } catch (err) {
      this.logger.warn(`no progress bar: ${errorMessage(err)}`);
      return { done: () => undefined };
    }
  }
}
