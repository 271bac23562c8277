// The built server over stdio fed bad frames (LSP 3.17 "Base Protocol"): each is skipped with a
// line on stderr and the next message is answered, up to shutdown and exit.
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from 'vscode-languageserver-protocol';
import { SeriesStateRequest } from '../../server/src/lsp/protocol';
import { fixturePath } from '../helpers/fixtures';
import { TestClient } from '../../tools/src/lspClient';

const content = JSON.stringify({ jsonrpc: '2.0', id: 'lost', method: 'klpLens/seriesState', params: {} });
const length = Buffer.byteLength(content);

const framed = (message: object) => `Content-Length: ${Buffer.byteLength(JSON.stringify(message))}\r\n\r\n${JSON.stringify(message)}`;

const BAD_FRAMES: Array<[string, string]> = [
  ['no Content-Length', `Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${content}`],
  ['a Content-Length that is no number', `Content-Length: twelve\r\n\r\n${content}`],
  ['a Content-Length too small', `Content-Length: ${length - 7}\r\n\r\n${content}`],
  ['a Content-Length too large', `Content-Length: ${length + 1000}\r\n\r\n${content}`],
  ['a Content-Length larger than any string', `Content-Length: 999999999999999\r\n\r\n${content}`],
  ['bytes that are no frame', `\x1b[2J${content}\r\n\r\n`],
  ['content that is no JSON', 'Content-Length: 5\r\n\r\n{"a":'],
  ['JSON that is no message', 'Content-Length: 4\r\n\r\nnull'],
  ['a notification before initialize', framed({ jsonrpc: '2.0', method: 'textDocument/didClose', params: null })],
];

describe('klp-lens-server fed bad frames', () => {
  const client = TestClient.spawn();
  afterAll(() => client.kill());

  it.each(BAD_FRAMES)('skips %s, says so on stderr, and answers the next request', async (_, bad) => {
    const linesBefore = client.stderr.split('\n').length;
    client.writeBytes(bad);
    // Before initialize the answer is an error, but an answer: the server still hears.
    await expect(client.connection.sendRequest(SeriesStateRequest.type, {})).rejects.toMatchObject({ code: ErrorCodes.ServerNotInitialized });
    await client.waitFor('the line on stderr', () => client.stderr.split('\n').length > linesBefore);
    expect(client.stderr).toMatch(/^klp-lens-server: (skipped|dropped) /m);
  });

  it('then initializes, shuts down after more bad frames and exits with 0', async () => {
    client.settings = { kernel: { symvers: fixturePath('cli/kernel/Module.symvers') } };
    await client.initialize([fixturePath('cli/series')]);
    expect((await client.connection.sendRequest(SeriesStateRequest.type, {})).steps).toHaveLength(3);
    client.writeBytes(framed({ jsonrpc: '2.0', method: '$/cancelRequest', params: null }));
    client.writeBytes(`Content-Length: x\r\n\r\n${content}`);
    expect(await client.stop()).toBe(0);
    expect(client.stderr).toMatch(/dropped \$\/cancelRequest: params missing or of the wrong type/);
    expect(client.transcript).not.toContain('"id":"lost"');
  });
});
