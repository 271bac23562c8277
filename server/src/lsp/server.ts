// The language server over a given connection (main.ts makes one from argv; a test may
// hand in its own): the features it serves, what `initialize` announces, the workspace.
import {
  DefinitionRequest,
  DocumentSymbolRequest,
  CompletionRequest,
  HoverRequest,
  InlayHintRequest,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
  type ServerCapabilities,
} from 'vscode-languageserver';
import { packageVersion } from '../common/packageRoot';
import { codeActionsFeature } from './codeActions';
import { diagnosticsFeature } from './diagnostics';
import { documentRequest, type Feature } from './feature';
import { definition } from './features/definition';
import { completion } from './features/completion';
import { documentSymbols } from './features/documentSymbols';
import { hover } from './features/hover';
import { inlayHints } from './features/inlayHints';
import { partDefinition, partHover } from './features/suseParts';
import { guardRequest } from './guard';
import type { Logger } from './logger';
import { seriesStateFeature } from './seriesState';
import { verifyWithCompilerFeature } from './verifyWithCompiler';
import { buildModuleFeature } from './buildModule';
import { compareRunningFeature } from './compareRunning';
import { LivepatchWorkspace } from './workspace';

/** Every capability served. */
export const FEATURES: Feature[] = [
  diagnosticsFeature,
  codeActionsFeature,
  seriesStateFeature,
  verifyWithCompilerFeature,
  buildModuleFeature,
  compareRunningFeature,
  documentRequest({ hoverProvider: true }, HoverRequest.type, null, (view, file, p) => partHover(view, file, p.position) ?? hover(view, file, p.position)),
  documentRequest({ inlayHintProvider: true }, InlayHintRequest.type, [], (view, file, p) => inlayHints(view, file, p.range)),
  documentRequest({ documentSymbolProvider: true }, DocumentSymbolRequest.type, [], (view, file) => documentSymbols(view, file)),
  documentRequest({ definitionProvider: true }, DefinitionRequest.type, [], (view, file, p) => partDefinition(view, file, p.position) ?? definition(view, file, p.position)),
  documentRequest({ completionProvider: { triggerCharacters: ['"', ',', '('] } }, CompletionRequest.type, { isIncomplete: false, items: [] }, (view, file, p) => completion(view, file, p.position)),
];

export function capabilities(features: readonly Feature[]): ServerCapabilities {
  return Object.assign(
    {
      // Incremental: a keystroke in a 5,000-line patch sends a line, not the patch.
      textDocumentSync: TextDocumentSyncKind.Incremental,
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
