// The first reading of a folder of modules (no index of it yet, moduleIndex.ts), shared by the
// caller's thread and a worker thread (dist/moduleReadWorker.js, built from
// kernel/moduleReadWorker.ts): each takes the next files from a counter both see until none is
// left, the worker from the start, the caller once the kernel's other artifacts are read (a full
// kernel: 4,023 modules, 0.4 s on one thread; the machine's second core takes its share). Without
// the worker script (unit tests run from the sources) or when the worker fails, the caller
// reads what is left.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { readRegularFile, type ReadLimits } from '../common/fileRead';
import { packageRoot } from '../common/packageRoot';
import type { Severity } from '../common/problem';
import { TimeSlices } from '../common/timeSlices';
import { readModuleParts } from './modinfo';
import { IndexBuilder, type IndexedFile, type SharedModules } from './moduleIndex';

/** Files taken from the counter at a time. */
const CHUNK = 8;
/** Fewer files are read on the caller's thread alone: a thread costs ~30 ms to start. */
const MIN_FILES_FOR_THREAD = 256;

/** What the worker receives. */
export interface ReadJob {
  paths: readonly string[];
  files: readonly IndexedFile[];
  severity: Severity;
  limits: ReadLimits;
  /** The next position to take, shared (Atomics). */
  next: Int32Array;
}

/** A reading started: finish() reads the caller's share and returns everything read. */
export interface ModuleReading {
  finish(sliceMs: number): Promise<IndexBuilder>;
}

/** Which worker script, and from how many files on (tests set both). */
export interface ThreadOptions {
  script?: string;
  minFiles?: number;
}

/** Starts the reading of the files: the worker thread's share now, when there is one. */
export function startModuleReading(paths: readonly string[], files: readonly IndexedFile[], severity: Severity, limits: ReadLimits, thread: ThreadOptions = {}): ModuleReading {
  const job: ReadJob = { paths, files, severity, limits, next: new Int32Array(new SharedArrayBuffer(4)) };
  const script = thread.script ?? path.join(packageRoot(), 'dist', 'moduleReadWorker.js');
  const helper = files.length >= (thread.minFiles ?? MIN_FILES_FOR_THREAD) && existsSync(script) ? inThread(script, job) : undefined;
  return {
    async finish(sliceMs) {
      const builder = new IndexBuilder(paths, files);
      await readTaken(job, builder, sliceMs);
      const shared = await helper;
      if (shared) builder.merge(shared);
      // What a failed worker had taken and not sent.
      for (const position of builder.missing()) await readOne(job, builder, position);
      return builder;
    },
  };
}

/** The worker's share, or undefined when it failed. */
function inThread(script: string, job: ReadJob): Promise<SharedModules | undefined> {
  return new Promise((resolve) => {
    try {
      const worker = new Worker(script, { workerData: job });
      worker.once('message', (shared: SharedModules) => resolve(shared));
      worker.once('error', () => resolve(undefined));
      worker.once('exit', () => resolve(undefined));
    } catch {
      resolve(undefined);
    }
  });
}

/**
 * Reads the files whose positions it takes from the counter until none is left, each synchronously
 * (a full kernel's 4,023: 0.4 s of promises' open, fstat, read and close against 0.1 s), the event
 * loop given a turn every `sliceMs` so that requests are answered meanwhile (Infinity: never).
 */
export async function readTaken(job: ReadJob, builder: IndexBuilder, sliceMs: number): Promise<void> {
  const slices = new TimeSlices(sliceMs);
  for (let start = Atomics.add(job.next, 0, CHUNK); start < job.paths.length; start = Atomics.add(job.next, 0, CHUNK)) {
    for (let position = start; position < Math.min(start + CHUNK, job.paths.length); position++) await readOne(job, builder, position);
    await slices.next();
  }
}

async function readOne(job: ReadJob, builder: IndexBuilder, position: number): Promise<void> {
  const read = await readModuleParts(job.paths[position], job.severity, job.limits, readRegularFile, (bytes, start, end) => builder.addName(position, bytes, start, end));
  builder.add(position, read);
}
