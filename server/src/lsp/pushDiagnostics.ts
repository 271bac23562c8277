// Push diagnostics (textDocument/publishDiagnostics) for the clients that cannot pull them
// (Neovim before 0.10, Emacs eglot, Helix): an open document's diagnostics when it opens,
// and every open document's once changes settle (an edit in one patch can raise or clear a
// finding in another), each sent only when it differs from the last one sent
// (DiagnosticReports, as for an "unchanged" pull); a closed document's are cleared.
import type { Connection, Diagnostic } from 'vscode-languageserver';
import type { DiagnosticReports } from './diagnosticReports';
import { guardNotification } from './guard';
import type { LivepatchWorkspace } from './workspace';

export function pushDiagnostics(connection: Connection, workspace: LivepatchWorkspace, reports: DiagnosticReports): void {
  const send = (uri: string, diagnostics: Diagnostic[]) => void connection.sendDiagnostics({ uri, diagnostics }).catch(() => undefined);
  const publish = guardNotification(workspace.logger, 'publishDiagnostics', async (uris: string[]) => {
    if (workspace.pullsDiagnostics || uris.length === 0) return;
    const view = await workspace.view();
    for (const uri of uris) {
      // A document closed while the analysis ran was cleared already.
      if (!workspace.documents.get(uri)) continue;
      const diagnostics = reports.changed(view, uri);
      if (diagnostics) send(uri, diagnostics);
    }
  });
  workspace.onSettled(() => void publish(workspace.documents.keys()));
  workspace.documents.onDidOpen((e) => void publish([e.document.uri]));
  workspace.documents.onDidClose((e) => {
    if (!workspace.pullsDiagnostics) send(e.document.uri, []);
  });
}
