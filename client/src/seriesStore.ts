// The latest SeriesState from the server, for the tree view and the state panel. The
// server announces changes (SeriesChangedNotification); the store then asks again.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SeriesStateRequest, type SeriesState } from '../../server/src/lsp/protocol';

export class SeriesStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SeriesState | undefined>();
  readonly onDidChange = this.changed.event;
  private current: SeriesState | undefined;
  private pending: Promise<void> | undefined;
  private askAgain = false;

  constructor(
    private readonly client: LanguageClient,
    private readonly output: vscode.OutputChannel,
  ) {}

  get state(): SeriesState | undefined {
    return this.current;
  }

  /** Asks the server for the state; a call during a request asks once more after it. */
  refresh(): Promise<void> {
    if (this.pending) {
      this.askAgain = true;
      return this.pending;
    }
    this.pending = this.fetch().finally(() => {
      this.pending = undefined;
      if (this.askAgain) {
        this.askAgain = false;
        void this.refresh();
      }
    });
    return this.pending;
  }

  /** Forgets the state (the server is restarting). */
  clear(): void {
    this.set(undefined);
  }

  private async fetch(): Promise<void> {
    if (!this.client.isRunning()) return;
    try {
      this.set(await this.client.sendRequest(SeriesStateRequest.type, {}));
    } catch (err) {
      this.output.appendLine(`klp-lens: the series state request failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private set(state: SeriesState | undefined): void {
    this.current = state;
    this.changed.fire(state);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
