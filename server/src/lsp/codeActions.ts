// Quick fixes: the fixes of a klp-lens diagnostic's problem (kept in diagnostic.data), as a
// WorkspaceEdit on the document version the problem was found in. A diagnostic older than
// the document gets none, and the client refuses the edit if the document moves on before
// it is applied.
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import { fixesFor, type Fix } from '../fixes/index';
import { diagnosticData } from './diagnostics';
import type { Feature } from './feature';
import type { WorkspaceView } from './workspace';

export function codeActions(view: WorkspaceView, params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`))) return [];
  return params.context.diagnostics.flatMap((diagnostic) => {
    const data = diagnosticData(diagnostic);
    if (!data) return [];
    const uri = view.toUri(data.problem.file);
    if (data.version !== view.documentVersion(uri)) return [];
    const text = view.readText(data.problem.file);
    if (text === undefined) return [];
    return fixesFor(data.problem, text).map((fix) => toCodeAction(fix, view, diagnostic));
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
  register: (connection, workspace) => connection.onCodeAction(workspace.viewHandler('textDocument/codeAction', [], codeActions)),
};
