// The language server over a given connection (main.ts makes one from argv; a test may
// hand in its own): the features it serves, what `initialize` announces, the workspace.
import { TextDocumentSyncKind, type Connection, type InitializeResult, type ServerCapabilities } from 'vscode-languageserver';
import { packageVersion } from '../common/packageRoot';
import { codeActionsFeature } from './codeActions';
import { diagnosticsFeature } from './diagnostics';
import type { Feature } from './feature';
import { guardRequest } from './guard';
import type { Logger } from './logger';
import { seriesStateFeature } from './seriesState';
import { LivepatchWorkspace } from './workspace';

/** Every capability served. LEAD: the language features (hover, inlay hints, code lenses, symbols, definition) go here. */
export const FEATURES: Feature[] = [diagnosticsFeature, codeActionsFeature, seriesStateFeature];

export function capabilities(features: readonly Feature[]): ServerCapabilities {
  return Object.assign(
    {
      textDocumentSync: TextDocumentSyncKind.Full,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    ...features.map((f) => f.capabilities),
  );
}

/** Binds the server to `connection` and starts listening. */
export function startServer(connection: Connection, logger: Logger, features: readonly Feature[] = FEATURES): LivepatchWorkspace {
  const workspace = new LivepatchWorkspace(connection, logger);
  const announced: InitializeResult = { capabilities: capabilities(features), serverInfo: { name: 'klp-lens', version: packageVersion() } };
  connection.onInitialize(
    guardRequest(logger, 'initialize', announced, (params) => {
      workspace.initialize(params);
      return announced;
    }),
  );
  for (const feature of features) feature.register(connection, workspace);
  workspace.listen();
  connection.listen();
  return workspace;
}
