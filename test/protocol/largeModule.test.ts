// A large C module opened and closed in the language server (issue 13, item 4: a 20 MB module
// kept 3.9 GB after closing it). It is read in a thread of its own (server/src/model/ownThread.ts),
// whose WebAssembly memory goes with the thread: on the server's thread, tree-sitter's memory
// grows with the largest file parsed and never shrinks.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../server/src/common/packageRoot';
import { OWN_THREAD_CHARS } from '../../server/src/model/ownThread';
import { TestClient } from '../../tools/src/lspClient';

const root = mkdtempSync(path.join(tmpdir(), 'klp-lens-large-module-'));
const ws = path.join(root, 'ws');
// Outside the workspace folder: once closed, nothing reads it any more.
const large = path.join(root, 'elsewhere', 'lp-large.c');
const example = readFileSync(path.join(packageRoot(), 'examples', 'lp-cdrom.c'), 'utf8');
let client: TestClient;
let largeText: string;

/** examples/lp-cdrom.c with copies of its patched function, each under its own name, to at least `chars`. */
function largeModule(chars: number): string {
  const start = example.indexOf('static int livepatch_cdrom_ioctl_media_changed');
  const end = example.indexOf('static struct klp_func');
  const fn = example.slice(start, end);
  const copies = Math.ceil(chars / fn.length);
  const extra = Array.from({ length: copies }, (_, i) => fn.replace('livepatch_cdrom_ioctl_media_changed', `livepatch_copy_${i}`));
  return example.slice(0, end) + extra.join('') + example.slice(end);
}

function rssBytes(): number {
  return 1024 * Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${client.pid}/status`, 'utf8'))?.[1]);
}

beforeAll(async () => {
  largeText = largeModule(4 * OWN_THREAD_CHARS);
  mkdirSync(ws);
  mkdirSync(path.dirname(large));
  writeFileSync(path.join(ws, 'lp-small.c'), example);
  writeFileSync(large, largeText);
  client = TestClient.spawn();
  await client.initialize([ws]);
});

afterAll(async () => {
  await client.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('a large C module in the language server', () => {
  it('is read, and its memory is returned once it is closed', async () => {
    const small = await client.open(path.join(ws, 'lp-small.c'));
    await client.diagnostics(small);
    const before = rssBytes();
    const largeUri = await client.open(large);
    // Read: it patches the function lp-small.c patches, from its klp_func at the end.
    const overlap = (await client.diagnostics(largeUri)).find((d) => d.code === 'overlapping-function');
    expect(overlap?.range.start.line).toBe(largeText.split('\n').findIndex((l) => l.includes('.old_name = "cdrom_ioctl_media_changed"')));
    const open = rssBytes();
    await client.close(largeUri);
    await client.diagnostics(small);
    // V8 returns the JavaScript heap's garbage once the server is idle for a few seconds, and
    // the ended thread's memory goes back to malloc, which keeps some of it (13-47 MB measured,
    // more on a loaded machine); the WebAssembly memory of a parse on the server's own thread
    // it would never return (the module parsed there: 109 MB kept).
    const returned = await client.waitFor('the memory back', () => rssBytes() - before < 80 * 2 ** 20, 40_000).catch(() => false);
    const after = rssBytes();
    console.log(`large module: RSS ${(before / 2 ** 20).toFixed(0)} MB before, ${(open / 2 ** 20).toFixed(0)} MB open, ${(after / 2 ** 20).toFixed(0)} MB after closing it`);
    expect(returned).toBe(true);
  }, 120_000);
});
