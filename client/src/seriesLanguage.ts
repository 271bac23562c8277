// A series file under another name than `series` (klpLens.series = series-rhel) is plain text
// to VS Code: when one opens, it gets the klp-series language, and with it the server's hints
// and diagnostics.
import * as vscode from 'vscode';
import { CLIENT_ID, SERIES_SETTING } from './ids';
import { isConfiguredSeries } from './seriesPath';

const SERIES_LANGUAGE = 'klp-series';

export function giveSeriesLanguage(): vscode.Disposable {
  const apply = (document: vscode.TextDocument) => {
    if (document.uri.scheme !== 'file' || document.languageId === SERIES_LANGUAGE) return;
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    const setting = vscode.workspace.getConfiguration(CLIENT_ID, document.uri).get<string>(SERIES_SETTING, '');
    if (isConfiguredSeries(document.uri.fsPath, folder?.uri.fsPath, setting)) void vscode.languages.setTextDocumentLanguage(document, SERIES_LANGUAGE);
  };
  vscode.workspace.textDocuments.forEach(apply);
  return vscode.Disposable.from(
    vscode.workspace.onDidOpenTextDocument(apply),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${CLIENT_ID}.${SERIES_SETTING}`)) vscode.workspace.textDocuments.forEach(apply);
    }),
  );
}
