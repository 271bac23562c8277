// A capability of the server: what `initialize` announces for it and the handlers that
// serve it. server.ts lists them; adding one is a line there.
import type { Connection, ProtocolRequestType, ServerCapabilities, TextDocumentIdentifier } from 'vscode-languageserver';
import type { LivepatchWorkspace, WorkspaceView } from './workspace';

export interface Feature {
  capabilities: ServerCapabilities;
  register(connection: Connection, workspace: LivepatchWorkspace): void;
}

/**
 * A request about one document answered from the current analysis: `answer` gets the
 * document's path; a throw is logged and answered with `fallback`. For instance
 * `documentRequest({ hoverProvider: true }, HoverRequest.type, null, (view, file, p) => hover(view, file, p.position))`.
 */
export function documentRequest<P extends { textDocument: TextDocumentIdentifier }, R, PR, E, RO>(
  capabilities: ServerCapabilities,
  type: ProtocolRequestType<P, R, PR, E, RO>,
  fallback: R,
  answer: (view: WorkspaceView, file: string, params: P) => R,
): Feature {
  return {
    capabilities,
    register: (connection, workspace) =>
      connection.onRequest(type, workspace.viewHandler(type.method, fallback, (view, params: P) => answer(view, view.toFile(params.textDocument.uri), params))),
  };
}
