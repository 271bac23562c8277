// Problems as LSP diagnostics, and the data a client sends back with a code action:
// checked field by field, never trusted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { problem } from '../../../server/src/common/problem';
import { makeRange } from '../../../server/src/common/range';
import { codeActions } from '../../../server/src/lsp/codeActions';
import { diagnosticData, toDiagnostic } from '../../../server/src/lsp/diagnostics';
import type { WorkspaceView } from '../../../server/src/lsp/workspace';
import { pathToUri, uriToPath } from '../../../server/src/lsp/uris';

const LPB = `static struct klp_patch patch = {
\t.mod = THIS_MODULE,
\t.objs = objs,
};
`;
const missingReplace = problem('missing-replace', 'warning', { file: '/ws/lpb.c', range: makeRange(0, 32, 3, 1) }, 'set replace', {
  related: [{ location: { file: '/ws/lpa.c', range: makeRange(26, 0, 26, 1) }, message: 'lpa' }],
});

/** A view with one open document, /ws/lpb.c at `version`. */
function viewOf(version: number): WorkspaceView {
  return {
    toUri: pathToUri,
    toFile: (uri: string) => uriToPath(uri) ?? uri,
    readText: (file: string) => (file === '/ws/lpb.c' ? LPB : undefined),
    documentVersion: (uri: string) => (uri === 'file:///ws/lpb.c' ? version : null),
  } as WorkspaceView;
}

describe('toDiagnostic', () => {
  it('keeps the range, maps the severity, names the source and links the related files by URI', () => {
    const diagnostic = toDiagnostic(missingReplace, viewOf(3), 3);
    expect(diagnostic).toMatchObject({
      range: missingReplace.range,
      severity: DiagnosticSeverity.Warning,
      code: 'missing-replace',
      source: 'klp-lens',
      relatedInformation: [{ location: { uri: 'file:///ws/lpa.c', range: makeRange(26, 0, 26, 1) }, message: 'lpa' }],
      data: { problem: missingReplace, version: 3 },
    });
  });

  it('survives the round trip through JSON', () => {
    const back = JSON.parse(JSON.stringify(toDiagnostic(missingReplace, viewOf(3), 3))) as Diagnostic;
    expect(diagnosticData(back)).toEqual({ problem: missingReplace, version: 3 });
  });
});

describe('diagnosticData', () => {
  const base = toDiagnostic(missingReplace, viewOf(3), 3);

  it('rejects another source, a missing field, a wrong type', () => {
    expect(diagnosticData({ ...base, source: 'eslint' })).toBeUndefined();
    expect(diagnosticData({ ...base, data: { version: 3 } })).toBeUndefined();
    expect(diagnosticData({ ...base, data: { problem: { ...missingReplace, range: { start: 0 } }, version: 3 } })).toBeUndefined();
    expect(diagnosticData({ ...base, data: { problem: missingReplace, version: '3' } })).toBeUndefined();
  });

  it('never throws on whatever a client sends back', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (data) => {
        const read = diagnosticData({ ...base, data });
        expect(read === undefined || typeof read.problem.code === 'string').toBe(true);
      }),
    );
  });
});

describe('codeActions', () => {
  const params = (only?: string[]) => ({
    textDocument: { uri: 'file:///ws/lpb.c' },
    range: missingReplace.range,
    context: { diagnostics: [toDiagnostic(missingReplace, viewOf(3), 3)], ...(only && { only }) },
  });

  it('turns the fix into an edit of the diagnosed version', () => {
    const [action] = codeActions(viewOf(3), params());
    expect(action).toMatchObject({ kind: 'quickfix', edit: { documentChanges: [{ textDocument: { uri: 'file:///ws/lpb.c', version: 3 } }] } });
  });

  it('refuses a diagnostic older than the document, and kinds other than quick fixes', () => {
    expect(codeActions(viewOf(4), params())).toEqual([]);
    expect(codeActions(viewOf(3), params(['refactor']))).toEqual([]);
    expect(codeActions(viewOf(3), params(['quickfix'])).length).toBeGreaterThan(0);
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
