// The worker thread that reads one large C module (model/ownThread.ts): it answers on the port
// it was given, raises the flag its caller waits on, and ends, taking its WebAssembly memory along.
import { workerData } from 'node:worker_threads';
import { errorMessage } from '../common/problem';
import { CParser } from '../syntax/treeSitter';
import { readModuleText } from './fromModule';
import type { ModuleReply, WorkerInput } from './ownThread';

async function answer({ job, port, done }: WorkerInput): Promise<void> {
  let reply: ModuleReply;
  try {
    reply = { livepatch: readModuleText(await CParser.create(), job.text, job.file, job) };
  } catch (err) {
    reply = { error: errorMessage(err) };
  }
  port.postMessage(reply);
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
}

void answer(workerData as WorkerInput);
