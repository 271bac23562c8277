// The language client. The server is this extension's own bundled dist/server.js, started
// by VS Code's Node through IPC: no setting names a program to run, so an untrusted
// workspace cannot make the client run anything; the server, told the workspace's trust,
// runs no program for an untrusted one (the compile check, Build Module).
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions } from '../../server/src/lsp/protocol';
import { CLIENT_ID, CLIENT_NAME, SERVER_DEBUG_PORT } from './ids';
import { DOCUMENT_SELECTOR } from './selector';

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.OutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', `--inspect=${SERVER_DEBUG_PORT}`] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    // A function: a restart tells what holds then (extension.ts sends the grant in between).
    initializationOptions: (): InitializationOptions => ({ workspaceTrusted: vscode.workspace.isTrusted }),
    // The server registers its file watchers and its settings section itself (dynamic registration).
  };
  // The id CLIENT_ID makes vscode-languageclient follow klpLens.trace.server.
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}
