// "Livepatch Lens: Compare with This Machine": the series' final state beside the livepatches of
// the machine the language server runs on; the lines go to the output channel.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CompareRunningRequest } from '../../server/src/lsp/protocol';

export async function compareRunning(client: LanguageClient, output: vscode.OutputChannel): Promise<void> {
  const result = await client.sendRequest(CompareRunningRequest.type, {});
  for (const line of result.output) output.appendLine(line);
  const message = `Livepatch Lens: ${result.message}${/[.?!]$/.test(result.message) ? '' : '.'}`;
  if (result.same) return void vscode.window.showInformationMessage(message);
  // Nothing was compared (the machine's files could not be read): no output to show.
  if (result.output.length === 0) return void vscode.window.showWarningMessage(message);
  if ((await vscode.window.showWarningMessage(message, 'Show Output')) === 'Show Output') output.show();
}
