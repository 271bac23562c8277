// Quick fixes: the fixes of the problem a klp-lens diagnostic shows, as a WorkspaceEdit on
// the document's current version. The problem is the current analysis' one that the
// diagnostic still matches (code, message, range): a diagnostic the document has moved
// away from gets none, and the client refuses the edit if the document moves on before it
// is applied. A fix that fails is logged, and the others are still offered.
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import { fixesFor } from '../checks/index';
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
    return problem ? fixesFor(problem, text, onError).map((fix) => toCodeAction(fix, view, diagnostic)) : [];
  });
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
