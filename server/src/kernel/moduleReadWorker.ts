// The worker thread that takes its share of a first reading of a folder of modules
// (kernel/moduleReading.ts) and sends what it read, the parts' buffers transferred, then ends.
import { parentPort, workerData } from 'node:worker_threads';
import { IndexBuilder } from './moduleIndex';
import { readTaken, type ReadJob } from './moduleReading';

async function share(job: ReadJob): Promise<void> {
  const builder = new IndexBuilder(job.paths, job.files);
  await readTaken(job, builder, Infinity);
  const shared = builder.share();
  const buffers = shared.modules.flatMap(([, , parts]) => (parts ? [parts] : []));
  const tables = [shared.hashes, shared.baseHashes].flatMap((h) => [h.hashes.buffer, h.positions.buffer]);
  parentPort!.postMessage(shared, [...buffers, ...(tables as ArrayBuffer[])]);
}

void share(workerData as ReadJob);
