// "Livepatch Lens: Verify with the Compiler": asks the server to compile what the patch diff
// in the editor (or the one the command was given) touches, before and after it; the server
// shows the progress and, once done, the compiler's answer in the diagnostics.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { VerifyWithCompilerRequest } from '../../server/src/lsp/protocol';

export async function verifyWithCompiler(client: LanguageClient, given?: unknown): Promise<void> {
  const uri = given instanceof vscode.Uri ? given : vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showWarningMessage('Livepatch Lens: open a patch diff to verify it with the compiler.');
    return;
  }
  // The server compiles the text it analysed (the editor's, saved or not).
  const result = await client.sendRequest(VerifyWithCompilerRequest.type, { uri: uri.toString() });
  const show = result.ok ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  void show(`Livepatch Lens: ${result.message}`);
}
