// A large C module is read in a worker thread of its own (dist/moduleWorker.js, built from
// model/moduleWorker.ts), with its own web-tree-sitter instance: WebAssembly memory only ever
// grows, so a 20 MB module parsed on the server's thread kept ~0.8 GB for the session's life;
// a thread's memory goes back to the system when the thread ends. The caller waits for it
// (Atomics.wait), as it waits for a parse on its own thread.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { errorMessage } from '../common/problem';
import { packageRoot } from '../common/packageRoot';
import type { Livepatch } from './livepatch';
import type { Predefined } from '../syntax/cConditions';

/** Modules at least this long (in UTF-16 units) are read in their own thread; a parse of one takes seconds. */
export const OWN_THREAD_CHARS = 1 << 20;

export interface ModuleJob {
  text: string;
  file: string;
  name: string;
  predefined?: Predefined;
}

export type ModuleReply = { livepatch: Livepatch } | { error: string };

/** What the worker receives: the job, the port it answers on, and the flag it raises when it has. */
export interface WorkerInput {
  job: ModuleJob;
  port: import('node:worker_threads').MessagePort;
  done: Int32Array;
}

/** The worker's script, or undefined when it was not built (unit tests run from the sources). */
function workerScript(): string | undefined {
  const script = path.join(packageRoot(), 'dist', 'moduleWorker.js');
  return existsSync(script) ? script : undefined;
}

/** A generous bound: the parse of a 20 MB module took 51 s here. */
function timeoutMs(chars: number): number {
  return 60_000 + 15_000 * Math.ceil(chars / (1 << 20));
}

/**
 * The module read in a thread of its own; undefined when no worker script is there (the caller
 * reads it on its own thread).
 */
export function readInOwnThread(job: ModuleJob): ModuleReply | undefined {
  const script = workerScript();
  if (!script) return undefined;
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  let worker: Worker | undefined;
  try {
    const input: WorkerInput = { job, port: port2, done };
    worker = new Worker(script, { workerData: input, transferList: [port2] });
    const limit = timeoutMs(job.text.length);
    if (Atomics.wait(done, 0, 0, limit) === 'timed-out') {
      return { error: `klp-lens stopped reading this module after ${limit / 1000} s` };
    }
    const reply = receiveMessageOnPort(port1)?.message as ModuleReply | undefined;
    return reply ?? { error: 'the thread reading this module ended without an answer' };
  } catch (err) {
    return { error: `the thread reading this module failed: ${errorMessage(err)}` };
  } finally {
    void worker?.terminate();
    port1.close();
  }
}
