// Every handler runs behind a guard: an exception is logged and answered with an empty
// result instead of reaching the process, and a request cancelled before its turn is
// answered at once without being computed (rust-analyzer's isolation, vscode-eslint's
// dropping of stale requests).
import { LSPErrorCodes, ResponseError, type CancellationToken, type ConnectionStrategy, type RequestMessage, type ResponseMessage } from 'vscode-languageserver';
import type { Logger } from './logger';

/** A result, or an error whose type fits any request (it carries no data). */
export type Answer<R> = R | ResponseError<never>;

export function cancelled(): ResponseError<never> {
  return new ResponseError<never>(LSPErrorCodes.RequestCancelled, 'request cancelled');
}

/** A request still queued when its $/cancelRequest arrives is answered without being run. */
export const DROP_CANCELLED_QUEUED: ConnectionStrategy = {
  cancelUndispatched: (message): ResponseMessage => ({
    jsonrpc: '2.0',
    id: (message as RequestMessage).id,
    error: { code: LSPErrorCodes.RequestCancelled, message: 'request cancelled' },
  }),
};

export function guardRequest<P, R>(
  logger: Logger,
  name: string,
  fallback: R,
  answer: (params: P, token: CancellationToken) => Answer<R> | Promise<Answer<R>>,
): (params: P, token: CancellationToken) => Promise<Answer<R>> {
  return async (params, token) => {
    // One turn of the event loop, so that a $/cancelRequest sent right behind the request is read first.
    await new Promise((resolve) => setImmediate(resolve));
    if (token.isCancellationRequested) return cancelled();
    try {
      return await answer(params, token);
    } catch (err) {
      logger.error(`${name} failed`, err);
      return fallback;
    }
  };
}

export function guardNotification<P>(logger: Logger, name: string, handle: (params: P) => void | Promise<void>): (params: P) => Promise<void> {
  return async (params) => {
    try {
      await handle(params);
    } catch (err) {
      logger.error(`${name} failed`, err);
    }
  };
}
