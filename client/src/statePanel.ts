// The patch state picture in a webview panel (one at a time), redrawn whenever the series
// state changes. The page is stateGrid.ts's; its only messages ask to open a location.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { STATE_PANEL_TITLE, STATE_PANEL_TYPE } from './ids';
import { openLocation } from './openLocation';
import type { SeriesStore } from './seriesStore';
import { gridMessageLocation, parseGridMessage, renderStateGrid } from './stateGrid';

export class StatePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: SeriesStore) {
    this.subscription = store.onDidChange(() => this.render());
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(STATE_PANEL_TYPE, STATE_PANEL_TITLE, vscode.ViewColumn.Beside, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: [],
    });
    panel.onDidDispose(() => (this.panel = undefined));
    panel.webview.onDidReceiveMessage((raw: unknown) => {
      const message = parseGridMessage(raw);
      const location = message && gridMessageLocation(this.store.state, message);
      // Documents open in the other editor group than the panel's.
      if (location) void openLocation(location, panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
    });
    this.panel = panel;
    this.render();
    void this.store.refresh();
  }

  private render(): void {
    if (this.panel) this.panel.webview.html = renderStateGrid(this.store.state, randomBytes(16).toString('hex'));
  }

  dispose(): void {
    this.subscription.dispose();
    this.panel?.dispose();
  }
}
