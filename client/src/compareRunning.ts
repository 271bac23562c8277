// "Livepatch Lens: Compare with This Machine": the series' final state beside the livepatches of
// the machine the language server runs on; the lines go to the output channel.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CompareRunningRequest } from '../../server/src/lsp/protocol';

export async function compareRunning(client: LanguageClient, output: vscode.OutputChannel): Promise<void> {
  const result = await client.sendRequest(CompareRunningRequest.type, {});
  for (const line of result.output) output.appendLine(line);
  if (result.same) return void vscode.window.showInformationMessage(`Livepatch Lens: ${result.message}.`);
  if ((await vscode.window.showWarningMessage(`Livepatch Lens: ${result.message}.`, 'Show Output')) === 'Show Output') output.show();
}
