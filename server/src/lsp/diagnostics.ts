// Pull diagnostics (textDocument/diagnostic): the analysis' problems located in the
// document (pushDiagnostics.ts sends the same to clients that cannot pull). A document
// whose problems are the ones last sent gets an "unchanged" report (typing inside a line
// usually changes none, and a report of hundreds of diagnostics is costly to send and to
// show). Diagnostics carry no data: a quick fix is computed from the current analysis'
// problem that the diagnostic still matches (codeActions.ts).
import { DocumentDiagnosticReportKind, type DocumentDiagnosticReport } from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE, DiagnosticReports } from './diagnosticReports';
import type { Feature } from './feature';
import { pushDiagnostics } from './pushDiagnostics';

const NO_DIAGNOSTICS: DocumentDiagnosticReport = { kind: DocumentDiagnosticReportKind.Full, items: [] };

export const diagnosticsFeature: Feature = {
  capabilities: { diagnosticProvider: { identifier: DIAGNOSTIC_SOURCE, interFileDependencies: true, workspaceDiagnostics: false } },
  register: (connection, workspace) => {
    const reports = new DiagnosticReports();
    workspace.documents.onDidClose((e) => reports.forget(e.document.uri));
    connection.languages.diagnostics.on(workspace.viewHandler('textDocument/diagnostic', NO_DIAGNOSTICS, (view, params) => reports.report(view, params)));
    pushDiagnostics(connection, workspace, reports);
  },
};
