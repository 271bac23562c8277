// Pull diagnostics (textDocument/diagnostic): the analysis' problems located in the
// document. Each diagnostic carries its problem and the document version in `data`, from
// which a quick fix is computed later (and refused if the document moved on).
import {
  DiagnosticSeverity,
  DocumentDiagnosticReportKind,
  type Diagnostic,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver';
import type { Problem, Severity } from '../common/problem';
import { asRange } from '../fixes/problemData';
import type { Feature } from './feature';
import type { WorkspaceView } from './workspace';

/** What a klp-lens diagnostic keeps for its code actions. */
export interface DiagnosticData {
  problem: Problem;
  /** The version of the document the problem was found in (null: not open). */
  version: number | null;
}

export const DIAGNOSTIC_SOURCE = 'klp-lens';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(problem: Problem, view: Pick<WorkspaceView, 'toUri'>, version: number | null): Diagnostic {
  const data: DiagnosticData = { problem, version };
  return {
    range: problem.range,
    severity: SEVERITY[problem.severity],
    code: problem.code,
    source: DIAGNOSTIC_SOURCE,
    message: problem.message,
    ...(problem.related && {
      relatedInformation: problem.related.map((r) => ({
        location: { uri: view.toUri(r.location.file), range: r.location.range },
        message: r.message,
      })),
    }),
    data,
  };
}

/** The data of a klp-lens diagnostic as a client sends it back: checked field by field, never trusted. */
export function diagnosticData(diagnostic: Diagnostic): DiagnosticData | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const data: unknown = diagnostic.data;
  if (typeof data !== 'object' || data === null) return undefined;
  const { problem, version } = data as Record<string, unknown>;
  if (version !== null && !Number.isSafeInteger(version)) return undefined;
  if (typeof problem !== 'object' || problem === null) return undefined;
  const p = problem as Record<string, unknown>;
  const range = asRange(p.range);
  if (typeof p.file !== 'string' || typeof p.code !== 'string' || typeof p.message !== 'string' || !range) return undefined;
  if (!(typeof p.severity === 'string' && p.severity in SEVERITY)) return undefined;
  return { problem: problem as Problem, version: version as number | null };
}

export function documentDiagnostics(view: WorkspaceView, params: DocumentDiagnosticParams): DocumentDiagnosticReport {
  const resultId = String(view.version);
  if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
  const { uri } = params.textDocument;
  const version = view.documentVersion(uri);
  // Hundreds of problems point at a few files: each file's URI is made once.
  const uris = new Map<string, string>();
  const toUri = (file: string) => {
    let found = uris.get(file);
    if (found === undefined) uris.set(file, (found = view.toUri(file)));
    return found;
  };
  const items = view.problemsIn(view.toFile(uri)).map((p) => toDiagnostic(p, { toUri }, version));
  return { kind: DocumentDiagnosticReportKind.Full, resultId, items };
}

const NO_DIAGNOSTICS: DocumentDiagnosticReport = { kind: DocumentDiagnosticReportKind.Full, items: [] };

export const diagnosticsFeature: Feature = {
  capabilities: { diagnosticProvider: { identifier: DIAGNOSTIC_SOURCE, interFileDependencies: true, workspaceDiagnostics: false } },
  register: (connection, workspace) => connection.languages.diagnostics.on(workspace.viewHandler('textDocument/diagnostic', NO_DIAGNOSTICS, documentDiagnostics)),
};
