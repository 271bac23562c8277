// LSP's base protocol at the byte level, for the server target: frames written as they are
// (a hostile client's wrong headers included) and the server's frames read back.
export interface JsonRpcMessage {
  jsonrpc?: string;
  id?: unknown;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

/** One frame of a JSON text, with a right Content-Length. */
export function frame(json: string): Buffer {
  const body = Buffer.from(json, 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

/** The server's output, cut into its messages as they come. */
export class FrameReader {
  private buffer = Buffer.alloc(0);

  /** The whole messages `chunk` completes; a body that is no JSON is given as a string. */
  push(chunk: Buffer): Array<JsonRpcMessage | string> {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const out: Array<JsonRpcMessage | string> = [];
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return out;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString('ascii'))?.[1]);
      if (!Number.isFinite(length) || this.buffer.length < end + 4 + length) return out;
      const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(end + 4 + length);
      try {
        out.push(JSON.parse(body) as JsonRpcMessage);
      } catch {
        out.push(body);
      }
    }
  }
}
