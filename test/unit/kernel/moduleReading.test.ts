// A first reading of a modules folder shared with a worker thread (server/src/kernel/moduleReading.ts)
// gives what a reading on one thread gives, and loses nothing when the worker fails.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../server/src/common/packageRoot';
import { DEFAULT_LIMITS } from '../../../server/src/common/fileRead';
import type { IndexBuilder } from '../../../server/src/kernel/moduleIndex';
import { startModuleReading, type ThreadOptions } from '../../../server/src/kernel/moduleReading';
import { fixturePath } from '../../helpers/fixtures';
import { DEBIAN_KERNEL } from '../../helpers/shared';

const WORKER = path.join(packageRoot(), 'dist', 'moduleReadWorker.js');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'klp-module-reading-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Debian's nine modules (when ../shared is there) and the fixture modules, each twice: enough files for several takes of the counter. */
function modulePaths(): string[] {
  const debian = path.join(DEBIAN_KERNEL, 'modules');
  const shared = existsSync(debian) ? readdirSync(debian, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes('.ko')).map((f) => path.join(debian, f)) : [];
  const fixtures = ['tiny.ko', 'tiny32.ko', 'tiny_lp.ko', 'tiny_truncated.ko', 'tiny.ko.xz', 'tiny.ko.zst'].map((n) => fixturePath('kernel', 'elf', n));
  return [...shared, ...fixtures, ...shared, ...fixtures, path.join(scratch, 'absent.ko')];
}

/** What the index made from a reading answers: the modules, each table, the holders of each name (with its clones). */
function answers(builder: IndexBuilder): unknown {
  const index = builder.index(path.join(scratch, 'never-written.idx'), 'key');
  const tables = index.modules.map((m) => index.read(m.name));
  const names = [...new Set(tables.flatMap((t) => (typeof t === 'string' ? [] : [...t.byName.keys()])))].sort();
  return {
    modules: index.modules,
    tables: tables.map((t) => (typeof t === 'string' ? t : [...t.byName])),
    holders: names.map((n) => [index.holders(n, false), index.holders(n.split('.')[0], true)]),
  };
}

async function read(thread: ThreadOptions, headStartMs = 0): Promise<unknown> {
  const paths = modulePaths();
  const files = paths.map((p, i) => ({ path: `${i}/${path.basename(p)}`, size: 0, mtimeMs: 0, ctimeMs: 0 }));
  const reading = startModuleReading(paths, files, 'warning', DEFAULT_LIMITS, thread);
  await new Promise((resolve) => setTimeout(resolve, headStartMs));
  return answers(await reading.finish(5));
}

describe('a first reading of a modules folder', () => {
  const alone = read({ minFiles: Infinity });

  it.skipIf(!existsSync(WORKER))('shared with the worker thread gives what the caller alone reads', async () => {
    // The worker given a head start, so that it takes its share.
    expect(await read({ minFiles: 0 }, 500)).toEqual(await alone);
  });

  it('loses nothing when the worker fails after taking files', async () => {
    const failing = path.join(scratch, 'failing-worker.js');
    writeFileSync(failing, "const { workerData } = require('node:worker_threads');\nAtomics.add(workerData.next, 0, 24);\nthrow new Error('lost');\n");
    expect(await read({ minFiles: 0, script: failing }, 500)).toEqual(await alone);
  });
});
if (!existsSync(WORKER)) console.warn('[klp-lens tests] dist/moduleReadWorker.js is not built (node scripts/build.mjs): the reading shared with a thread is not tested');
