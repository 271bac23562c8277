// `klp-lens-server`: the language server's process, over the transport argv names
// (transport.ts), every message through the gate (messageGate.ts).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { DROP_CANCELLED_QUEUED } from './guard';
import { consoleLogger } from './logger';
import { MessageGate } from './messageGate';
import { MESSAGE_PARAMS } from './messageParams';
import { startServer } from './server';
import { serverTransport, TRANSPORT_USAGE } from './transport';

const transport = serverTransport(process.argv.slice(2));
if (!transport) {
  process.stderr.write(`klp-lens-server: no transport given\nusage: ${TRANSPORT_USAGE}\n`);
  process.exit(2);
}
const gate = new MessageGate(transport.reader, transport.writer, MESSAGE_PARAMS);
// What the client sent that could not be taken: to stderr, which stays readable when the protocol's stream is what broke.
gate.onError((err) => process.stderr.write(`klp-lens-server: ${err.message}\n`));
// The client is gone: exit as `exit` would (LSP 3.17 "Exit Notification": 0 after shutdown, else 1).
gate.onClose(() => process.exit(gate.shutdown ? 0 : 1));
const connection = createConnection(ProposedFeatures.all, gate, transport.writer, DROP_CANCELLED_QUEUED);
const logger = consoleLogger(connection.console);
// The handlers are guarded; these catch what escapes them (a timer, a stray promise) so that the editor keeps its server.
process.on('uncaughtException', (err) => logger.error('uncaught exception', err));
process.on('unhandledRejection', (err) => logger.error('unhandled rejection', err));
startServer(connection, logger);
