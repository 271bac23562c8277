// Quick fixes: the fixes of the problem a klp-lens diagnostic shows, as a WorkspaceEdit on
// the document's current version. The problem is the current analysis' one that the
// diagnostic still matches (code, message, range): a diagnostic the document has moved
// away from gets none, and the client refuses the edit if the document moves on before it
// is applied. A fix that fails is logged, and the others are still offered.
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import * as path from 'node:path';
import { fixesFor } from '../checks/index';
import { appendSeriesLine } from '../edits/seriesLine';
import type { Fix } from '../edits/fix';
import { problemOf } from './diagnosticReports';
import type { Feature } from './feature';
import type { Logger } from './logger';
import type { WorkspaceView } from './workspace';

export function codeActions(view: WorkspaceView, params: CodeActionParams, logger: Pick<Logger, 'error'>): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`))) return [];
  const file = view.toFile(params.textDocument.uri);
  const text = view.readText(file);
  if (text === undefined) return [];
  const onError = (message: string, cause: unknown) => logger.error(message, cause);
  return params.context.diagnostics.flatMap((diagnostic) => {
    const problem = problemOf(view, file, diagnostic);
    if (!problem) return [];
    const fixes = problem.code === 'not-in-series' ? addToSeries(view, file) : fixesFor(problem, text, onError);
    return fixes.map((fix) => toCodeAction(fix, view, diagnostic));
  });
}

/** not-in-series (model/plan.ts): the file's path, relative to the series file, appended to it. */
function addToSeries(view: WorkspaceView, file: string): Fix[] {
  const series = view.seriesFile;
  const text = series === undefined ? undefined : view.readText(series);
  if (series === undefined || text === undefined) return [];
  const entry = path.relative(path.dirname(series), file).split(path.sep).join('/');
  return [{ title: `Add ${entry} to the series`, code: 'not-in-series', file: series, edits: [appendSeriesLine(text, entry)], preferred: true }];
}

function toCodeAction(fix: Fix, view: WorkspaceView, diagnostic: Diagnostic): CodeAction {
  const uri = view.toUri(fix.file);
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    ...(fix.preferred && { isPreferred: true }),
    edit: { documentChanges: [{ textDocument: { uri, version: view.documentVersion(uri) }, edits: fix.edits }] },
  };
}

export const codeActionsFeature: Feature = {
  capabilities: { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] } },
  register: (connection, workspace) =>
    connection.onCodeAction(workspace.viewHandler('textDocument/codeAction', [], (view, params: CodeActionParams) => codeActions(view, params, workspace.logger))),
};
