// The server's MessageReader over a byte stream (stdio, a socket, a pipe), in place of
// vscode-jsonrpc's StreamMessageReader: frames.ts splits the stream, a frame that is no
// JSON-RPC message is skipped, and each skip is an error event (main.ts writes it to stderr)
// while reading goes on.
import { AbstractMessageReader, Disposable, type DataCallback, type Message, type MessageReader } from 'vscode-languageserver/node';
import { errorMessage } from '../common/problem';
import { FrameParser, type Frame } from './frames';

export class FrameReader extends AbstractMessageReader implements MessageReader {
  constructor(private readonly readable: NodeJS.ReadableStream) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const parser = new FrameParser();
    const onData = (chunk: Buffer | string) => {
      for (const frame of parser.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk)) this.deliver(frame, callback);
    };
    let closed = false;
    const onClose = () => {
      if (!closed) this.fireClose();
      closed = true;
    };
    const onError = (err: Error) => this.fireError(err);
    this.readable.on('data', onData);
    this.readable.on('end', onClose);
    this.readable.on('close', onClose);
    this.readable.on('error', onError);
    return Disposable.create(() => {
      this.readable.off('data', onData);
      this.readable.off('end', onClose);
      this.readable.off('close', onClose);
      this.readable.off('error', onError);
    });
  }

  private deliver(frame: Frame, callback: DataCallback): void {
    if ('skipped' in frame) return this.fireError(new Error(`skipped ${frame.skipped}; reading on at the next Content-Length header`));
    let message: unknown;
    try {
      message = JSON.parse(frame.content);
    } catch (err) {
      return this.fireError(new Error(`skipped a frame whose content is no JSON: ${errorMessage(err)}`));
    }
    // JSON-RPC 2.0 §4: a request, a notification or a response is an object (LSP sends no batches).
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return this.fireError(new Error('skipped a frame whose content is no JSON object'));
    try {
      callback(message as Message);
    } catch (err) {
      // The connection's own reading of a message threw: that message is lost, the next ones are read.
      this.fireError(new Error(`a message could not be taken: ${errorMessage(err)}`));
    }
  }
}
