// Every request the server's features register has its params check in MESSAGE_PARAMS (the gate
// answers InvalidParams from it: test/protocol/messageGate.test.ts), so does every notification
// the server reads (the gate drops what fails: test/protocol/notificationParams.test.ts), and the
// checks take what LSP clients send and refuse what no handler can read.
import { describe, expect, it } from 'vitest';
import {
  CodeActionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidChangeWorkspaceFoldersNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  DocumentDiagnosticRequest,
  FileChangeType,
  HoverRequest,
  TextDocumentSaveReason,
  WillSaveTextDocumentNotification,
  WorkDoneProgressCancelNotification,
  WorkspaceDiagnosticRequest,
  type Connection,
} from 'vscode-languageserver';
import { MESSAGE_PARAMS } from '../../../server/src/lsp/messageParams';
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

describe('MESSAGE_PARAMS', () => {
  it('has a check for every request the features register', () => {
    const registered = registeredRequests();
    expect(registered).toContain(HoverRequest.method);
    expect(registered.filter((m) => !MESSAGE_PARAMS.has(m))).toEqual([]);
  });

  it('takes what a client sends and refuses what a handler cannot read', () => {
    const hover = MESSAGE_PARAMS.get(HoverRequest.method)!;
    const uri = 'file:///w/lpa.c';
    expect(hover({ textDocument: { uri }, position: { line: 3, character: 0 }, workDoneToken: 'w' })).toBe(true);
    for (const bad of [null, undefined, [], {}, { textDocument: { uri } }, { textDocument: { uri }, position: { line: 1.5, character: 0 } }, { textDocument: {}, position: { line: 0, character: 0 } }]) {
      expect(hover(bad), JSON.stringify(bad)).toBe(false);
    }
    const seriesState = MESSAGE_PARAMS.get('klpLens/seriesState')!;
    expect([seriesState(undefined), seriesState({}), seriesState(null), seriesState(1)]).toEqual([true, true, false, false]);
  });
});

describe('MESSAGE_PARAMS for notifications', () => {
  const uri = 'file:///w/lpa.c';
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  it.each([
    [DidOpenTextDocumentNotification.method, { textDocument: { uri, languageId: 'c', version: 1, text: 'x' } }, [{ textDocument: { version: 1, languageId: 'c', text: 'x' } }]],
    [DidChangeTextDocumentNotification.method, { textDocument: { uri, version: 2 }, contentChanges: [{ range, rangeLength: 1, text: 'y' }, { text: 'z' }] }, [{ textDocument: { uri }, contentChanges: [{ text: 'z' }] }, { textDocument: { uri, version: 2 }, contentChanges: {} }, { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: {} }, text: 'y' }] }]],
    [DidCloseTextDocumentNotification.method, { textDocument: { uri } }, [{ textDocument: {} }]],
    [DidSaveTextDocumentNotification.method, { textDocument: { uri }, text: 'x' }, [{ textDocument: { uri: 1 } }]],
    [WillSaveTextDocumentNotification.method, { textDocument: { uri }, reason: TextDocumentSaveReason.Manual }, [{ textDocument: { uri } }, { textDocument: { uri }, reason: 4 }]],
    [DidChangeConfigurationNotification.method, { settings: null }, ['settings']],
    [DidChangeWatchedFilesNotification.method, { changes: [{ uri, type: FileChangeType.Deleted }] }, [{ changes: {} }, { changes: [{ uri }] }]],
    [DidChangeWorkspaceFoldersNotification.method, { event: { added: [{ uri, name: 'w' }], removed: [] } }, [{ event: { added: [] } }, { event: { added: [{ uri }], removed: [] } }]],
    [WorkDoneProgressCancelNotification.method, { token: 'p' }, [{}, { token: null }]],
    ['$/setTrace', { value: 'verbose' }, [{ value: 'loud' }]],
    ['$/cancelRequest', { id: 3 }, [{ id: null }, { id: 1.5 }]],
  ])('%s: takes what a client sends, refuses what its handler cannot read', (method, good, bad) => {
    const check = MESSAGE_PARAMS.get(method);
    expect(check, method).toBeDefined();
    expect(check!(good)).toBe(true);
    for (const params of [null, undefined, [], ...bad]) expect(check!(params), JSON.stringify(params)).toBe(false);
  });
});
