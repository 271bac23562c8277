// The lifecycle and the params of requests (LSP 3.17 "Initialize Request", "Shutdown Request";
// JSON-RPC 2.0 §5.1), over the built server's stdio: a request before initialize is answered
// ServerNotInitialized, one with params its handler cannot read InvalidParams, one after
// shutdown InvalidRequest; each at once, and the server goes on.
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCodes, ExitNotification, HoverRequest, InitializeRequest, ShutdownRequest } from 'vscode-languageserver-protocol';
import { MESSAGE_PARAMS } from '../../server/src/lsp/messageParams';
import { SeriesStateRequest } from '../../server/src/lsp/protocol';
import { fixturePath } from '../helpers/fixtures';
import { CLIENT_NOTIFICATIONS } from '../helpers/notifications';
import { TestClient, uriOf } from '../../tools/src/lspClient';

describe('klp-lens-server at the door', () => {
  const client = TestClient.spawn();
  afterAll(() => client.kill());
  const send = (method: string, params: unknown) => client.connection.sendRequest(method, params);

  it('answers a request before initialize with ServerNotInitialized', async () => {
    await expect(send(HoverRequest.method, { textDocument: { uri: 'file:///x.c' }, position: { line: 0, character: 0 } })).rejects.toMatchObject({
      code: ErrorCodes.ServerNotInitialized,
    });
    await expect(send(ShutdownRequest.method, undefined)).rejects.toMatchObject({ code: ErrorCodes.ServerNotInitialized });
  });

  it('answers initialize with null params InvalidParams, and stays uninitialized', async () => {
    await expect(send(InitializeRequest.method, null)).rejects.toMatchObject({ code: ErrorCodes.InvalidParams });
    await expect(send(SeriesStateRequest.method, {})).rejects.toMatchObject({ code: ErrorCodes.ServerNotInitialized });
  });

  it('answers every request it serves with null params InvalidParams', async () => {
    client.settings = { kernel: { symvers: fixturePath('cli/kernel/Module.symvers') } };
    await client.initialize([fixturePath('cli/series')]);
    // initialize is asked once: its null params are answered above. Notifications: notificationParams.test.ts.
    const methods = [...MESSAGE_PARAMS.keys()].filter((m) => m !== InitializeRequest.method && !CLIENT_NOTIFICATIONS.includes(m));
    expect(methods).toContain(HoverRequest.method);
    for (const method of methods) await expect(send(method, null), method).rejects.toMatchObject({ code: ErrorCodes.InvalidParams });
  });

  it.each([
    ['a position without its line', HoverRequest.method, { textDocument: { uri: uriOf(fixturePath('cli/series/lpa.c')) }, position: { character: 0 } }],
    ['a negative line', 'textDocument/definition', { textDocument: { uri: uriOf(fixturePath('cli/series/lpa.c')) }, position: { line: -1, character: 0 } }],
    ['no document', 'textDocument/diagnostic', {}],
    ['a uri that is a number', 'klpLens/buildModule', { uri: 7 }],
    ['no document, to the request the document manager answers', 'textDocument/willSaveWaitUntil', {}],
    ['diagnostics that are no list', 'textDocument/codeAction', { textDocument: { uri: 'file:///x.c' }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: {} } }],
  ])('answers %s InvalidParams', async (_, method, params) => {
    await expect(send(method, params)).rejects.toMatchObject({ code: ErrorCodes.InvalidParams });
  });

  it('answers a second initialize InvalidRequest, and still serves', async () => {
    await expect(send(InitializeRequest.method, { processId: null, rootUri: null, capabilities: {} })).rejects.toMatchObject({ code: ErrorCodes.InvalidRequest });
    expect((await client.connection.sendRequest(SeriesStateRequest.type, {})).steps).toHaveLength(3);
  });

  it('answers a request after shutdown InvalidRequest, and exits with 0 on exit', async () => {
    await client.connection.sendRequest(ShutdownRequest.type);
    await expect(send(SeriesStateRequest.method, {})).rejects.toMatchObject({ code: ErrorCodes.InvalidRequest });
    await client.connection.sendNotification(ExitNotification.type);
    expect(await client.exited).toBe(0);
  });
});
