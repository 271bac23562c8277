// "Livepatch Lens: Build Module": the server builds the hand-written livepatch module in the
// editor with the kernel's kbuild and converts its klp symbols; the complaints go to the
// Problems panel (the server's diagnostics) and the output channel.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { BuildModuleRequest } from '../../server/src/lsp/protocol';

export async function buildModule(client: LanguageClient, output: vscode.OutputChannel, given?: unknown): Promise<void> {
  const uri = given instanceof vscode.Uri ? given : vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showWarningMessage('Livepatch Lens: open a livepatch module (.c) to build it.');
    return;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Livepatch Lens: building ${uri.path.split('/').pop()}` },
    () => client.sendRequest(BuildModuleRequest.type, { uri: uri.toString() }),
  );
  for (const line of result.output) output.appendLine(line);
  const show = result.ok ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  void show(`Livepatch Lens: ${result.message}`);
}
