// Notifications whose params their handler cannot read (LSP 3.17 shapes: messageParams.ts), over
// the built server's stdio: each is dropped with one line on stderr before any handler runs, so
// no stack trace on stderr and no error in the client's log, and the server answers the next request.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidChangeWorkspaceFoldersNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  MessageType,
  WillSaveTextDocumentNotification,
  WorkDoneProgressCancelNotification,
} from 'vscode-languageserver-protocol';
import { SeriesStateRequest } from '../../server/src/lsp/protocol';
import { fixturePath } from '../helpers/fixtures';
import { CLIENT_NOTIFICATIONS } from '../helpers/notifications';
import { TestClient } from '../../tools/src/lspClient';

/** A stack frame line, as V8 prints them (scripts/fuzz/outcome.ts counts the same). */
const STACK_FRAME = /^\s+at .*:\d+:\d+\)?$/m;

describe('klp-lens-server fed notifications it cannot read', () => {
  const client = TestClient.spawn();
  const lpa = fixturePath('cli/series/lpa.c');
  let uri: string;
  let diagnostics: unknown;
  beforeAll(async () => {
    client.settings = { kernel: { symvers: fixturePath('cli/kernel/Module.symvers') } };
    await client.initialize([fixturePath('cli/series')]);
    // An open document, so that a change or a close of it reaches the document manager.
    uri = await client.open(lpa);
    diagnostics = await client.diagnostics(uri);
  });
  afterAll(() => client.kill());

  /** Sends a notification as it is; then what the server wrote to stderr and logged meanwhile, once it answered the next request. */
  async function notify(method: string, params: unknown): Promise<{ stderr: string; errors: string[] }> {
    const [stderrFrom, logsFrom] = [client.stderr.length, client.logs.length];
    client.writeRaw([{ jsonrpc: '2.0', method, params }]);
    expect((await client.connection.sendRequest(SeriesStateRequest.type, {})).steps).toHaveLength(3);
    const errors = client.logs.slice(logsFrom).filter((l) => l.type === MessageType.Error).map((l) => l.message);
    return { stderr: client.stderr.slice(stderrFrom), errors };
  }

  it.each([
    ['a document without its uri (fuzz seed 100013, run 205)', DidOpenTextDocumentNotification.method, { textDocument: { version: 1, languageId: 'c', text: 'x' } }],
    ['null params', DidOpenTextDocumentNotification.method, null],
    ['null params', DidChangeTextDocumentNotification.method, null],
    ['changes that are no list', DidChangeTextDocumentNotification.method, () => ({ textDocument: { uri, version: 2 }, contentChanges: { text: 'x' } })],
    ['a change without a version', DidChangeTextDocumentNotification.method, () => ({ textDocument: { uri }, contentChanges: [{ text: 'x' }] })],
    ['null params', DidCloseTextDocumentNotification.method, null],
    ['a document without its uri', DidCloseTextDocumentNotification.method, { textDocument: {} }],
    ['null params', DidSaveTextDocumentNotification.method, null],
    ['null params', WillSaveTextDocumentNotification.method, null],
    ['null params', DidChangeConfigurationNotification.method, null],
    ['null params', DidChangeWatchedFilesNotification.method, null],
    ['changes that are no list', DidChangeWatchedFilesNotification.method, () => ({ changes: { uri, type: 2 } })],
    ['null params', DidChangeWorkspaceFoldersNotification.method, null],
    ['an event without removed folders', DidChangeWorkspaceFoldersNotification.method, { event: { added: [] } }],
    ['null params', WorkDoneProgressCancelNotification.method, null],
    ['null params', '$/setTrace', null],
    ['an id that is null', '$/cancelRequest', { id: null }],
  ])('drops %s of %s with one line on stderr, and still answers', async (_, method, params) => {
    const { stderr, errors } = await notify(method, typeof params === 'function' ? params() : params);
    await client.waitFor('the line on stderr', () => client.stderr.includes(`klp-lens-server: dropped ${method}: `), 3_000);
    expect(stderr).not.toMatch(STACK_FRAME);
    expect(errors).toEqual([]);
  });

  it('takes every notification of LSP 3.17 with null params without a stack trace or an error, and still answers', async () => {
    const methods = CLIENT_NOTIFICATIONS.filter((m) => m !== InitializedNotification.method && m !== ExitNotification.method);
    expect(methods).toContain(DidOpenTextDocumentNotification.method);
    for (const method of methods) {
      const { stderr, errors } = await notify(method, null);
      expect(stderr, method).not.toMatch(STACK_FRAME);
      expect(errors, method).toEqual([]);
    }
  });

  it('still serves the document it had open, as it was', async () => {
    await client.change(uri, readFileSync(lpa, 'utf8'));
    expect(await client.diagnostics(uri)).toEqual(diagnostics);
    expect(client.stderr).not.toMatch(STACK_FRAME);
  });
});
