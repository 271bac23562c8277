// `klp-lens-server`: the language server's process. vscode-languageserver picks the
// transport from argv (--stdio, --node-ipc, --socket=PORT, --pipe=NAME).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { errorMessage } from '../common/problem';
import { DROP_CANCELLED_QUEUED } from './guard';
import { consoleLogger } from './logger';
import { startServer } from './server';

function connect() {
  try {
    return createConnection(ProposedFeatures.all, DROP_CANCELLED_QUEUED);
  } catch (err) {
    process.stderr.write(`klp-lens-server: ${errorMessage(err)}\nusage: klp-lens-server --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n`);
    process.exit(2);
  }
}

const connection = connect();
const logger = consoleLogger(connection.console);
// The handlers are guarded; these catch what escapes them (a timer, a stray promise) so that the editor keeps its server.
process.on('uncaughtException', (err) => logger.error('uncaught exception', err));
process.on('unhandledRejection', (err) => logger.error('unhandled rejection', err));
startServer(connection, logger);
