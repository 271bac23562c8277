// Problems as LSP diagnostics; "unchanged" reports; the quick fixes of a diagnostic as a
// client sends it back, found again in the current analysis.
import fc from 'fast-check';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { packageRoot } from '../../../server/src/common/packageRoot';
import { problem, type Problem } from '../../../server/src/common/problem';
import { codeActions } from '../../../server/src/lsp/codeActions';
import { DiagnosticReports, problemOf, sameProblems, toDiagnostic } from '../../../server/src/lsp/diagnosticReports';
import type { WorkspaceView } from '../../../server/src/lsp/workspace';
import { pathToUri, uriToPath } from '../../../server/src/lsp/uris';
import { rangeIn, rangeInFile, unmark } from '../../helpers/cursor';
import { fixturePath } from '../../helpers/fixtures';

/** lpb.c, its klp_patch marked. */
const MARKED_LPB = `static struct klp_patch patch = $0{
\t.mod = THIS_MODULE,
\t.objs = objs,
}$0;
`;
const LPB = unmark(MARKED_LPB).text;
/** The klp_patch of lpb.c after a line added above it. */
const MOVED = rangeIn(`\n${LPB}`, MARKED_LPB);
/** The first character of lpa's klp_patch (as in the section 3 series). */
const LPA_PATCH = rangeInFile(fixturePath('cli/series/lpa.c'), '$0s$0tatic struct klp_patch patch');
const missingReplace = problem('missing-replace', 'warning', { file: '/ws/lpb.c', range: rangeIn(LPB, MARKED_LPB) }, 'set replace', {
  related: [{ location: { file: '/ws/lpa.c', range: LPA_PATCH }, message: 'lpa' }],
});
const LPB_URI = 'file:///ws/lpb.c';

/** A view with one open document, /ws/lpb.c at `version`, and its problems. */
function viewOf(version: number, problems: Problem[] = [missingReplace]): WorkspaceView {
  return {
    toUri: pathToUri,
    toFile: (uri: string) => uriToPath(uri) ?? uri,
    readText: (file: string) => (file === '/ws/lpb.c' ? LPB : undefined),
    documentVersion: (uri: string) => (uri === LPB_URI ? version : null),
    problemsIn: (file: string) => problems.filter((p) => p.file === file),
  } as WorkspaceView;
}

describe('toDiagnostic', () => {
  it("keeps the range, maps the severity, names the source, links the code to its page and the related files by URI; carries no data", () => {
    const diagnostic = toDiagnostic(missingReplace, viewOf(3));
    expect(diagnostic).toEqual({
      range: missingReplace.range,
      severity: DiagnosticSeverity.Warning,
      code: 'missing-replace',
      codeDescription: { href: pathToFileURL(path.join(packageRoot(), 'docs/problems/missing-replace.md')).href },
      source: 'klp-lens',
      message: 'set replace',
      relatedInformation: [{ location: { uri: 'file:///ws/lpa.c', range: LPA_PATCH }, message: 'lpa' }],
    });
  });
});

describe('problemOf', () => {
  const sent = JSON.parse(JSON.stringify(toDiagnostic(missingReplace, viewOf(3)))) as Diagnostic;

  it('finds the problem a diagnostic shows after the round trip through JSON', () => {
    expect(problemOf(viewOf(3), '/ws/lpb.c', sent)).toBe(missingReplace);
  });

  it('finds nothing for another source, a moved range, another message', () => {
    expect(problemOf(viewOf(3), '/ws/lpb.c', { ...sent, source: 'eslint' })).toBeUndefined();
    expect(problemOf(viewOf(3), '/ws/lpb.c', { ...sent, range: MOVED })).toBeUndefined();
    expect(problemOf(viewOf(3), '/ws/lpb.c', { ...sent, message: 'other' })).toBeUndefined();
  });

  it('never throws on whatever a client sends back, the right code and message with a broken range included', () => {
    const range = fc.oneof(fc.jsonValue(), fc.record({ start: fc.jsonValue(), end: fc.jsonValue() }), fc.constant(sent.range));
    fc.assert(
      fc.property(range, fc.oneof(fc.jsonValue(), fc.constant(sent.code)), (r, code) => {
        const found = problemOf(viewOf(3), '/ws/lpb.c', { ...sent, range: r as never, code: code as never });
        expect(found === undefined || found === missingReplace).toBe(true);
      }),
    );
  });
});

describe('DiagnosticReports', () => {
  const params = (previousResultId?: string) => ({ textDocument: { uri: LPB_URI }, ...(previousResultId && { previousResultId }) });

  it('answers "unchanged" while the problems stay the same, and a full report when they change', () => {
    const reports = new DiagnosticReports();
    const first = reports.report(viewOf(1), params());
    expect(first).toMatchObject({ kind: 'full', items: [{ code: 'missing-replace' }] });
    // A new analysis (a copy of the problem) with the same findings.
    const again = reports.report(viewOf(2, [{ ...missingReplace }]), params(first.resultId));
    expect(again).toEqual({ kind: 'unchanged', resultId: first.resultId });
    const moved = { ...missingReplace, range: MOVED };
    const third = reports.report(viewOf(3, [moved]), params(first.resultId));
    expect(third).toMatchObject({ kind: 'full', items: [{ range: moved.range }] });
    expect(third.resultId).not.toBe(first.resultId);
  });

  it('shows a problem the analysis kept (the same object) as the same diagnostic, and a new problem anew', () => {
    const reports = new DiagnosticReports();
    const first = reports.report(viewOf(1), params());
    const moved = { ...missingReplace, range: MOVED };
    const second = reports.report(viewOf(2, [missingReplace, moved]), params(first.resultId));
    if (first.kind !== 'full' || second.kind !== 'full') throw new Error('full reports expected');
    expect(second.items[0]).toBe(first.items[0]);
    expect(second.items[1]).toEqual({ ...first.items[0], range: MOVED });
  });

  it('sends a full report to a client that lost the previous one, or after the document was closed', () => {
    const reports = new DiagnosticReports();
    const first = reports.report(viewOf(1), params());
    expect(reports.report(viewOf(1), params()).kind).toBe('full');
    reports.forget(LPB_URI);
    expect(reports.report(viewOf(1), params(first.resultId)).kind).toBe('full');
  });
});

describe('sameProblems', () => {
  it('tells apart problems that show differently (severity, related information)', () => {
    expect(sameProblems([missingReplace], [{ ...missingReplace, severity: 'error' }])).toBe(false);
    expect(sameProblems([missingReplace], [{ ...missingReplace, related: [] }])).toBe(false);
    expect(sameProblems([missingReplace], [{ ...missingReplace, data: { other: 1 } }])).toBe(true);
    expect(sameProblems([missingReplace], [])).toBe(false);
  });

  // exported-symbol-dependency makes its problem again at an edit, with the same entries for the references it had (hundreds).
  it('reads no field of a related entry both problems share', () => {
    const reads = { count: 0 };
    const entry = missingReplace.related![0];
    const shared = Object.fromEntries(Object.keys(entry).map((k) => [k, undefined])) as unknown as typeof entry;
    for (const key of Object.keys(entry) as Array<keyof typeof entry>) Object.defineProperty(shared, key, { get: () => (reads.count++, entry[key]) });
    const related = Array.from({ length: 500 }, () => shared);
    expect(sameProblems([{ ...missingReplace, related }], [{ ...missingReplace, related: [...related] }])).toBe(true);
    expect(reads.count).toBe(0);
    expect(sameProblems([{ ...missingReplace, related }], [{ ...missingReplace, related: related.map((r) => ({ ...r })) }])).toBe(true);
    expect(reads.count).toBeGreaterThan(0);
  });
});

describe('codeActions', () => {
  const params = (only?: string[], diagnostic = toDiagnostic(missingReplace, viewOf(3))) => ({
    textDocument: { uri: LPB_URI },
    range: missingReplace.range,
    context: { diagnostics: [diagnostic], ...(only && { only }) },
  });

  it('turns the fix into an edit of the current version', () => {
    const [action] = codeActions(viewOf(4), params(), console);
    expect(action).toMatchObject({ kind: 'quickfix', edit: { documentChanges: [{ textDocument: { uri: LPB_URI, version: 4 } }] } });
  });

  it('refuses a diagnostic the analysis no longer has, and kinds other than quick fixes', () => {
    expect(codeActions(viewOf(4, []), params(), console)).toEqual([]);
    expect(codeActions(viewOf(3), params(['refactor']), console)).toEqual([]);
    expect(codeActions(viewOf(3), params(['quickfix']), console).length).toBeGreaterThan(0);
  });
});

describe('uris', () => {
  it('gives a path only for file: URIs', () => {
    expect(uriToPath('file:///ws/a%20b.c')).toBe('/ws/a b.c');
    expect(uriToPath('untitled:Untitled-1')).toBeUndefined();
    expect(uriToPath('file://host/share/x.c')).toBeUndefined();
    expect(pathToUri('/ws/a b.c')).toBe('file:///ws/a%20b.c');
  });
});
