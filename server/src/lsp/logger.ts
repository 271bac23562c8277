// The server's log: the LSP console (window/logMessage), which the client shows in its
// output channel. Nothing but the protocol may write to stdout.
import type { RemoteConsole } from 'vscode-languageserver';
import { errorMessage } from '../common/problem';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  /** An error with its cause; the stack goes to the log, where a bug report can quote it. */
  error(message: string, cause?: unknown): void;
}

export function consoleLogger(console: RemoteConsole): Logger {
  return {
    info: (message) => console.info(message),
    warn: (message) => console.warn(message),
    error: (message, cause) => {
      if (cause === undefined) return console.error(message);
      const stack = cause instanceof Error && cause.stack ? `\n${cause.stack}` : '';
      console.error(`${message}: ${errorMessage(cause)}${stack}`);
    },
  };
}
