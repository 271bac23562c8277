// Problems as LSP diagnostics, and back: a diagnostic as a client sends it back is matched to
// the analysis' problem it still shows (codeActions.ts computes its fixes from that problem).
// The reports last sent, per document, for the pull (diagnostics.ts) and push
// (pushDiagnostics.ts) diagnostics alike: a document whose problems did not change since gets
// "unchanged", and is not pushed again.
import {
  DiagnosticSeverity,
  DocumentDiagnosticReportKind,
  type Diagnostic,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
  type PreviousResultId,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../common/packageRoot';
import type { Problem, Severity } from '../common/problem';
import { asRange, type Range } from '../common/range';
import type { WorkspaceView } from './workspace';

export const DIAGNOSTIC_SOURCE = 'klp-lens';

/** Each code's page, bundled with the extension (docs/problems/<code>.md: the registry writes them; readable offline). */
const PROBLEM_PAGES = path.join(packageRoot(), 'docs', 'problems');
/** Each code's page URL, made once per code (a report of hundreds of problems has a few codes). */
const pages = new Map<string, string>();
function pageOf(code: string): string {
  let page = pages.get(code);
  if (page === undefined) pages.set(code, (page = pathToFileURL(path.join(PROBLEM_PAGES, `${code}.md`)).href));
  return page;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(problem: Problem, view: Pick<WorkspaceView, 'toUri'>): Diagnostic {
  return {
    range: problem.range,
    severity: SEVERITY[problem.severity],
    code: problem.code,
    codeDescription: { href: pageOf(problem.code) },
    source: DIAGNOSTIC_SOURCE,
    message: problem.message,
    ...(problem.related && {
      relatedInformation: problem.related.map((r) => ({
        location: { uri: view.toUri(r.location.file), range: r.location.range },
        message: r.message,
      })),
    }),
  };
}

/** The problem of the analysis that a klp-lens diagnostic (as a client sends it back) shows, if it still does. */
export function problemOf(view: Pick<WorkspaceView, 'problemsIn'>, file: string, diagnostic: Diagnostic): Problem | undefined {
  // Checked before use: a client sends back whatever it kept.
  const range = asRange(diagnostic.range);
  if (diagnostic.source !== DIAGNOSTIC_SOURCE || !range) return undefined;
  return view.problemsIn(file).find((p) => p.code === diagnostic.code && p.message === diagnostic.message && sameRange(p.range, range));
}

/** The reports last sent, per document: a document whose problems did not change since gets "unchanged". */
export class DiagnosticReports {
  private readonly sent = new Map<string, { resultId: string; problems: readonly Problem[] }>();
  private reports = 0;
  /** Each problem's diagnostic, while the problem lives (a file's URI does not change). */
  private readonly diagnostics = new WeakMap<Problem, Diagnostic>();

  report(view: WorkspaceView, params: DocumentDiagnosticParams): DocumentDiagnosticReport {
    const { uri } = params.textDocument;
    const problems = view.problemsIn(view.toFile(uri));
    const last = this.sent.get(uri);
    if (last && last.resultId === params.previousResultId && sameProblems(last.problems, problems)) {
      return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: last.resultId };
    }
    const resultId = String(++this.reports);
    this.sent.set(uri, { resultId, problems });
    // Hundreds of problems point at a few files: each file's URI is made once.
    const uris = new Map<string, string>();
    const toUri = (file: string) => {
      let found = uris.get(file);
      if (found === undefined) uris.set(file, (found = view.toUri(file)));
      return found;
    };
    // A problem the checks kept from the analysis before (the same object) shows as it did.
    const items = problems.map((p) => {
      let diagnostic = this.diagnostics.get(p);
      if (!diagnostic) this.diagnostics.set(p, (diagnostic = toDiagnostic(p, { toUri })));
      return diagnostic;
    });
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items };
  }

  /**
   * workspace/diagnostic: a report for every file the analysis has problems in, and for every
   * file the client holds a report of (so that fixed files are cleared), open or not.
   */
  workspace(view: WorkspaceView, previous: readonly PreviousResultId[]): WorkspaceDocumentDiagnosticReport[] {
    const previousId = new Map(previous.map((p) => [p.uri, p.value]));
    const uris = new Set([...new Set(view.analysis.problems.map((p) => p.file))].map((file) => view.toUri(file)));
    for (const uri of previousId.keys()) uris.add(uri);
    return [...uris].map((uri) => ({ ...this.report(view, { textDocument: { uri }, previousResultId: previousId.get(uri) }), uri, version: view.documentVersion(uri) }));
  }

  /** For a client they are pushed to: the document's diagnostics if they differ from the ones last reported. */
  changed(view: WorkspaceView, uri: string): Diagnostic[] | undefined {
    const report = this.report(view, { textDocument: { uri }, previousResultId: this.sent.get(uri)?.resultId });
    return report.kind === DocumentDiagnosticReportKind.Full ? report.items : undefined;
  }

  forget(uri: string): void {
    this.sent.delete(uri);
  }
}

/** Whether two lists of problems show as the same diagnostics. */
export function sameProblems(a: readonly Problem[], b: readonly Problem[]): boolean {
  return a.length === b.length && a.every((p, i) => sameProblem(p, b[i]));
}

function sameProblem(a: Problem, b: Problem): boolean {
  if (a === b) return true;
  if (a.code !== b.code || a.severity !== b.severity || a.message !== b.message || !sameRange(a.range, b.range)) return false;
  const ra = a.related ?? [];
  const rb = b.related ?? [];
  // A check that makes a problem again may keep its related entries (exported-symbol-dependency: one per reference, hundreds).
  return (
    ra.length === rb.length &&
    ra.every((r, i) => r === rb[i] || (r.message === rb[i].message && r.location.file === rb[i].location.file && sameRange(r.location.range, rb[i].location.range)))
  );
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
