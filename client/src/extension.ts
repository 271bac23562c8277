// The VS Code extension: starts the klp-lens language server and shows what it knows:
// the kernel in a language status item, the series in a tree view and in a state grid.
//
// Workspace trust: in an untrusted workspace the extension still works, read-only. It runs
// no program named in settings (the server is its own bundled dist/server.js), the server
// runs no program for it until the user trusts it (languageClient.ts tells it), and VS Code ignores the workspace's values of the settings that point
// at files outside it (package.json capabilities.untrustedWorkspaces).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { KernelStatusNotification, SeriesChangedNotification, WorkspaceTrustedNotification } from '../../server/src/lsp/protocol';
import { registerCommands } from './commands';
import { OUTPUT_CHANNEL, SERIES_VIEW_ID } from './ids';
import { KernelStatusItem } from './kernelStatusItem';
import { createLanguageClient } from './languageClient';
import { selectKernel } from './selectKernel';
import { seriesSummary } from './seriesModel';
import { SeriesStore } from './seriesStore';
import { SeriesTreeProvider } from './seriesTreeProvider';
import { StatePanel } from './statePanel';
import { verifyWithCompiler } from './verifyWithCompiler';
import { buildModule } from './buildModule';
import { registerBuildTasks } from './buildTask';
import { trySeriesInVm } from './trySeries';
import { compareRunning } from './compareRunning';
import { giveSeriesLanguage } from './seriesLanguage';

let client: LanguageClient | undefined;

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL);
  const languageClient = createLanguageClient(context, output);
  client = languageClient;
  const store = new SeriesStore(languageClient, output);
  const kernelItem = new KernelStatusItem();
  const panel = new StatePanel(store);
  const provider = new SeriesTreeProvider(store);
  const view = vscode.window.createTreeView(SERIES_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const waiting = 'Waiting for the klp-lens language server.';
  view.message = waiting;

  context.subscriptions.push(
    output,
    store,
    kernelItem,
    panel,
    provider,
    view,
    // With no patches the view shows its welcome content (package.json viewsWelcome).
    store.onDidChange((state) => {
      view.message = state ? undefined : waiting;
      kernelItem.update(state?.kernel);
      kernelItem.updateSeries(state && state.patches.length > 0 ? seriesSummary(state) : undefined);
    }),
    // Handlers registered before start() stay in place across restarts.
    languageClient.onNotification(KernelStatusNotification.type, (status) => kernelItem.update(status)),
    languageClient.onNotification(SeriesChangedNotification.type, () => void store.refresh()),
    // A server not running now reads the trust when it starts (languageClient.ts).
    vscode.workspace.onDidGrantWorkspaceTrust(() => void languageClient.sendNotification(WorkspaceTrustedNotification.type, {}).catch(() => undefined)),
    registerBuildTasks(context.asAbsolutePath('dist/cli.js')),
    giveSeriesLanguage(),
    ...registerCommands((id, handler) => vscode.commands.registerCommand(id, handler), {
      selectKernel: () => selectKernel(),
      verifyWithCompiler: (uri?: unknown) => verifyWithCompiler(languageClient, uri),
      buildModule: (uri?: unknown) => buildModule(languageClient, output, uri),
      compareRunning: () => compareRunning(languageClient, output),
      trySeries: () => trySeriesInVm(context.asAbsolutePath('dist/cli.js'), output, context.workspaceState),
      showSeriesState: () => panel.show(),
      restartServer: async () => {
        store.clear();
        try {
          await (languageClient.isRunning() ? languageClient.restart() : languageClient.start());
          await store.refresh();
        } catch (err) {
          void vscode.window.showErrorMessage(`Livepatch Lens: the language server did not restart: ${errorText(err)}`);
        }
      },
    }),
  );

  try {
    await languageClient.start();
    await store.refresh();
  } catch (err) {
    // The commands stay: klpLens.restartServer can try again.
    output.appendLine(`klp-lens: the language server did not start: ${errorText(err)}`);
  }
}

export async function deactivate(): Promise<void> {
  if (client?.needsStop()) await client.stop();
}
