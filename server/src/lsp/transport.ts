// The server's end of the connection, from argv as vscode-languageserver's createConnection()
// reads it (lib/node/main.js _createConnection(): --node-ipc, --stdio, --socket=PORT or
// --socket PORT, --pipe=NAME or --pipe NAME; the first one given wins), but with frameReader.ts
// reading the byte streams instead of vscode-jsonrpc's StreamMessageReader.
import { createConnection as connectSocket } from 'node:net';
import { Console } from 'node:console';
import { IPCMessageReader, IPCMessageWriter, SocketMessageWriter, StreamMessageWriter, type MessageReader, type MessageWriter } from 'vscode-languageserver/node';
import { FrameReader } from './frameReader';

export interface Transport {
  reader: MessageReader;
  writer: MessageWriter;
}

export const TRANSPORT_USAGE = 'klp-lens-server --stdio | --node-ipc | --socket=PORT | --pipe=NAME';

/** The transport argv names, or undefined when it names none. */
export function serverTransport(argv: readonly string[]): Transport | undefined {
  for (let i = 0; i < argv.length; i++) {
    const [name, value = argv[i + 1]] = argv[i].split(/=(.*)/s);
    if (name === '--node-ipc') return { reader: new IPCMessageReader(process), writer: new IPCMessageWriter(process) };
    if (name === '--stdio') {
      quietConsole();
      return { reader: new FrameReader(process.stdin), writer: new StreamMessageWriter(process.stdout) };
    }
    if ((name === '--socket' || name === '--pipe') && value) {
      const socket = name === '--socket' ? connectSocket(Number(value), '127.0.0.1') : connectSocket(value);
      return { reader: new FrameReader(socket), writer: new SocketMessageWriter(socket) };
    }
  }
  return undefined;
}

/**
 * stdout is the protocol's: what a library logs with console.log goes to stderr instead
 * (vscode-languageserver's patchConsole() does this for its own --stdio, sending it to the log).
 */
function quietConsole(): void {
  const toStderr = new Console(process.stderr, process.stderr);
  for (const name of ['log', 'info', 'debug', 'dir', 'dirxml', 'table', 'count', 'group', 'groupCollapsed', 'timeLog', 'timeEnd'] as const) {
    (console as unknown as Record<string, unknown>)[name] = toStderr[name].bind(toStderr);
  }
}
