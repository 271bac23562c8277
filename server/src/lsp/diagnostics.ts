// Pull diagnostics (textDocument/diagnostic, and workspace/diagnostic for every file): the
// analysis' problems located in the document (pushDiagnostics.ts sends the same to clients that cannot pull). A document
// whose problems are the ones last sent gets an "unchanged" report (typing inside a line
// usually changes none, and a report of hundreds of diagnostics is costly to send and to
// show). Diagnostics carry no data: a quick fix is computed from the current analysis'
// problem that the diagnostic still matches (codeActions.ts).
import { DocumentDiagnosticReportKind, type DocumentDiagnosticReport, type WorkspaceDiagnosticReport } from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE, DiagnosticReports } from './diagnosticReports';
import type { Feature } from './feature';
import { pushDiagnostics } from './pushDiagnostics';

const NO_DIAGNOSTICS: DocumentDiagnosticReport = { kind: DocumentDiagnosticReportKind.Full, items: [] };
const NO_WORKSPACE_DIAGNOSTICS: WorkspaceDiagnosticReport = { items: [] };

export const diagnosticsFeature: Feature = {
  capabilities: { diagnosticProvider: { identifier: DIAGNOSTIC_SOURCE, interFileDependencies: true, workspaceDiagnostics: true } },
  register: (connection, workspace) => {
    const reports = new DiagnosticReports();
    workspace.documents.onDidClose((e) => reports.forget(e.document.uri));
    connection.languages.diagnostics.on(workspace.viewHandler('textDocument/diagnostic', NO_DIAGNOSTICS, (view, params) => reports.report(view, params)));
    // The workspace's findings without opening its files (VS Code's client asks every 2 s; files
    // whose findings did not change are "unchanged").
    connection.languages.diagnostics.onWorkspace(
      workspace.viewHandler('workspace/diagnostic', NO_WORKSPACE_DIAGNOSTICS, (view, params) => ({ items: reports.workspace(view, params.previousResultIds) })),
    );
    pushDiagnostics(connection, workspace, reports);
  },
};
