// The door every message passes before the connection sees it: the lifecycle rules of LSP
// 3.17 and the params check of messageParams.ts, answered here so that no handler (ours or
// vscode-languageserver's) runs on a message it cannot take:
// - before `initialize`, a request is answered ServerNotInitialized (-32002) and a notification
//   other than `exit` dropped ("Initialize Request"); `initialize` comes once;
// - after `shutdown`, a request is answered InvalidRequest (-32600) ("Shutdown Request");
// - a request whose params its handler cannot read is answered InvalidParams (-32602), such a
//   notification is dropped (there is no one to answer).
import {
  AbstractMessageReader,
  Disposable,
  ErrorCodes,
  ExitNotification,
  InitializeRequest,
  Message,
  ShutdownRequest,
  type DataCallback,
  type MessageReader,
  type MessageWriter,
  type NotificationMessage,
  type RequestMessage,
  type ResponseMessage,
} from 'vscode-languageserver/node';

type Phase = 'new' | 'running' | 'shutdown';

const PARAMS_REFUSED = 'params missing or of the wrong type';

interface Refusal {
  code: number;
  message: string;
}

export class MessageGate extends AbstractMessageReader implements MessageReader {
  private current: Phase = 'new';

  constructor(
    private readonly reader: MessageReader,
    private readonly writer: MessageWriter,
    private readonly params: ReadonlyMap<string, (params: unknown) => boolean>,
  ) {
    super();
    reader.onError((err) => this.fireError(err));
    reader.onClose(() => this.fireClose());
    reader.onPartialMessage((info) => this.firePartialMessage(info));
  }

  /** Whether `shutdown` was asked for (the exit code then is 0). */
  get shutdown(): boolean {
    return this.current === 'shutdown';
  }

  listen(callback: DataCallback): Disposable {
    return this.reader.listen((message) => {
      if (Message.isRequest(message)) {
        const refusal = this.refusal(message);
        if (refusal) return this.refuse(message, refusal);
        if (message.method === InitializeRequest.method) this.current = 'running';
        if (message.method === ShutdownRequest.method) this.current = 'shutdown';
      } else if (Message.isNotification(message)) {
        if (this.current === 'new' && message.method !== ExitNotification.method) return this.fireError(new Error(`dropped ${message.method}: it came before initialize`));
        if (!this.paramsFit(message)) return this.fireError(new Error(`dropped ${message.method}: ${PARAMS_REFUSED}`));
      }
      callback(message);
    });
  }

  private refusal(request: RequestMessage): Refusal | undefined {
    const { method } = request;
    if (this.current === 'new' && method !== InitializeRequest.method) return { code: ErrorCodes.ServerNotInitialized, message: `${method} before initialize` };
    if (this.current === 'running' && method === InitializeRequest.method) return { code: ErrorCodes.InvalidRequest, message: 'initialize was already received' };
    if (this.current === 'shutdown') return { code: ErrorCodes.InvalidRequest, message: `${method} after shutdown` };
    if (!this.paramsFit(request)) return { code: ErrorCodes.InvalidParams, message: `${method}: ${PARAMS_REFUSED}` };
    return undefined;
  }

  private paramsFit({ method, params }: RequestMessage | NotificationMessage): boolean {
    return this.params.get(method)?.(params) ?? true;
  }

  private refuse(request: RequestMessage, refusal: Refusal): void {
    const response: ResponseMessage = { jsonrpc: '2.0', id: request.id, error: refusal };
    this.writer.write(response).catch((err: unknown) => this.fireError(err instanceof Error ? err : new Error(String(err))));
  }
}
