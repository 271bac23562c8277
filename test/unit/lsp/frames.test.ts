// The framing of the LSP base protocol (lsp/frames.ts): good frames in any chunking, a bad frame
// skipped with its reason, and, as a property, every good message after any mix of bad frames
// and stray bytes, split anywhere.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { FrameParser, type Frame } from '../../../server/src/lsp/frames';

const frame = (content: string, length = Buffer.byteLength(content)) => `Content-Length: ${length}\r\n\r\n${content}`;
const message = (id: number, text = 'x') => JSON.stringify({ jsonrpc: '2.0', id, method: 'textDocument/hover', params: { text } });

function parse(chunks: Array<string | Buffer>): Frame[] {
  const parser = new FrameParser();
  return chunks.flatMap((c) => parser.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : c));
}

const contents = (frames: Frame[]) => frames.flatMap((f) => ('content' in f ? [f.content] : []));
const skips = (frames: Frame[]) => frames.flatMap((f) => ('skipped' in f ? [f.skipped] : []));

describe('FrameParser', () => {
  it('reads frames however the stream is cut, multi-byte characters too', () => {
    const bytes = Buffer.from(frame(message(1, 'ä€😀')) + frame(message(2)) + `content-length:7\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{"a":1}`);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(contents(parse([bytes.subarray(0, cut), bytes.subarray(cut)]))).toEqual([message(1, 'ä€😀'), message(2), '{"a":1}']);
    }
    expect(contents(parse([...bytes].map((b) => Buffer.from([b]))))).toHaveLength(3);
  });

  it.each([
    ['a header without Content-Length', `Content-Type: text/plain\r\n\r\n${message(1)}`, /without Content-Length/],
    ['a Content-Length that is no number', frame(message(1), NaN), /no number/],
    ['a Content-Length too small', frame(message(1), 10), /no header/],
    ['a Content-Length too large', frame(message(1), 500), /too large/],
    ['bytes before a header', `garbage ${message(1)}`, /no header/],
    ['a header line that is no field', `Content-Length: 5\r\nno colon\r\n\r\n${message(1)}`, /no header/],
    ['two Content-Lengths', `Content-Length: 5\r\nContent-Length: 6\r\n\r\n${message(1)}`, /two Content-Length/],
    ['a header that never ends', 'X: '.padEnd(5000, 'y'), /longer than 4096/],
  ])('skips %s, says so, and reads the next frame', (_, bad, reason) => {
    const frames = parse([bad + frame(message(2))]);
    expect(contents(frames).at(-1)).toBe(message(2));
    expect(skips(frames).join('\n')).toMatch(reason);
  });

  it('does not wait for the bytes a too large Content-Length promises once the next frame has come', () => {
    const frames = parse([frame(message(1), 1_000_000), frame(message(2))]);
    expect(contents(frames)).toEqual([message(2)]);
  });

  it('finds the next frame inside a content a few bytes too long, however the stream is cut', () => {
    const bytes = Buffer.from(frame(message(1), Buffer.byteLength(message(1)) + 3) + frame(message(2)));
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(contents(parse([bytes.subarray(0, cut), bytes.subarray(cut)]))).toEqual([message(2)]);
    }
  });

  it('reads a large message without making text of its bytes but once (the search for a frame start inside it looks for line ends)', () => {
    const large = message(1, 'y'.repeat(4_000_000));
    const bytes = Buffer.from(frame(large));
    const decoded = vi.spyOn(Buffer.prototype, 'toString');
    try {
      const chunks = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) => bytes.subarray(i * 65536, (i + 1) * 65536));
      expect(contents(parse(chunks))).toEqual([large]);
      const made = decoded.mock.calls.reduce((n, [, start = 0, end = bytes.length]) => n + Number(end) - Number(start), 0);
      expect(made).toBeLessThan(1.1 * bytes.length);
    } finally {
      decoded.mockRestore();
    }
  });

  it('keeps no more than a frame start of bytes that are no frame', () => {
    const parser = new FrameParser();
    for (let i = 0; i < 100; i++) parser.push(Buffer.alloc(65536, 0x1b));
    expect(contents(parser.push(Buffer.from(frame(message(3)))))).toEqual([message(3)]);
  });

  it('reads every good message after any mix of bad frames and stray bytes, cut anywhere (property)', () => {
    const good = fc.jsonValue().map((v) => ({ good: JSON.stringify({ jsonrpc: '2.0', method: 'm', params: { v } }) }));
    const body = fc.jsonValue().map((v) => JSON.stringify({ v }));
    const bad = fc.oneof(
      fc.string().filter((s) => !/content-length/i.test(s)),
      body.map((b) => `Content-Type: x\r\n\r\n${b}`),
      fc.tuple(body, fc.constantFrom('', 'abc', '-1', '1e3', '12x', '9'.repeat(20))).map(([b, n]) => `Content-Length: ${n}\r\n\r\n${b}`),
      fc.tuple(body, fc.nat()).map(([b, k]) => frame(b, Buffer.byteLength(b) - 1 - (k % Buffer.byteLength(b)))),
      fc.tuple(body, fc.integer({ min: 1, max: 100_000 })).map(([b, k]) => frame(b, Buffer.byteLength(b) + k)),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(good, bad.map((b) => ({ bad: b })))), fc.array(fc.nat()), (items, cuts) => {
        const bytes = Buffer.from(items.map((i) => ('good' in i ? frame(i.good) : i.bad)).join(''));
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...at].map((from, i) => bytes.subarray(from, [...at, bytes.length][i]));
        const read = contents(parse(chunks)).filter((c) => {
          try {
            JSON.parse(c);
            return true;
          } catch {
            return false;
          }
        });
        expect(read).toEqual(items.flatMap((i) => ('good' in i ? [i.good] : [])));
      }),
      { seed: 1313, numRuns: 500 },
    );
  });
});
