// Every request the server's features register has its params check in REQUEST_PARAMS (the gate
// answers InvalidParams from it: test/protocol/messageGate.test.ts), and the checks take what
// LSP clients send and refuse what no handler can read.
import { describe, expect, it } from 'vitest';
import { CodeActionRequest, DocumentDiagnosticRequest, HoverRequest, WorkspaceDiagnosticRequest, type Connection } from 'vscode-languageserver';
import { REQUEST_PARAMS } from '../../../server/src/lsp/requestParams';
import { FEATURES } from '../../../server/src/lsp/server';
import type { LivepatchWorkspace } from '../../../server/src/lsp/workspace';

/** The request methods of vscode-languageserver's own registration calls that the features use. */
const LIBRARY_REGISTRATIONS: Record<string, string> = {
  onCodeAction: CodeActionRequest.method,
  'languages.diagnostics.on': DocumentDiagnosticRequest.method,
  'languages.diagnostics.onWorkspace': WorkspaceDiagnosticRequest.method,
};
/** Registrations of notifications and events, which answer nothing. */
const NOT_REQUESTS = /(^|\.)(onNotification|onDid\w+|onSettled)$/;

/** What the features register on a connection that records every call. */
function registeredRequests(): string[] {
  const methods: string[] = [];
  const recorder = (path: string): unknown =>
    new Proxy(() => undefined, {
      get: (_, key) => recorder(path ? `${path}.${String(key)}` : String(key)),
      apply: (_, __, args: unknown[]) => {
        const last = path.split('.').at(-1) ?? '';
        if (path === 'onRequest') methods.push((args[0] as { method?: string }).method ?? String(args[0]));
        else if (path in LIBRARY_REGISTRATIONS) methods.push(LIBRARY_REGISTRATIONS[path]);
        else if (last.startsWith('on') && !NOT_REQUESTS.test(path)) methods.push(`unknown registration ${path}`);
        return recorder(`${path}()`);
      },
    });
  for (const feature of FEATURES) feature.register(recorder('') as Connection, recorder('workspace') as LivepatchWorkspace);
  return methods;
}

describe('REQUEST_PARAMS', () => {
  it('has a check for every request the features register', () => {
    const registered = registeredRequests();
    expect(registered).toContain(HoverRequest.method);
    expect(registered.filter((m) => !REQUEST_PARAMS.has(m))).toEqual([]);
  });

  it('takes what a client sends and refuses what a handler cannot read', () => {
    const hover = REQUEST_PARAMS.get(HoverRequest.method)!;
    const uri = 'file:///w/lpa.c';
    expect(hover({ textDocument: { uri }, position: { line: 3, character: 0 }, workDoneToken: 'w' })).toBe(true);
    for (const bad of [null, undefined, [], {}, { textDocument: { uri } }, { textDocument: { uri }, position: { line: 1.5, character: 0 } }, { textDocument: {}, position: { line: 0, character: 0 } }]) {
      expect(hover(bad), JSON.stringify(bad)).toBe(false);
    }
    const seriesState = REQUEST_PARAMS.get('klpLens/seriesState')!;
    expect([seriesState(undefined), seriesState({}), seriesState(null), seriesState(1)]).toEqual([true, true, false, false]);
  });
});
