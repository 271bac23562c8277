// The language server writes a kernel's caches (the module index, the parsed artifacts) after
// its first analysis with that kernel, not before (issue 14, "ready fast": a full kernel's took
// ~1.2 s of the first diagnostics), and a server started later reads them.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { TestClient } from '../../tools/src/lspClient';
import { fixturePath } from '../helpers/fixtures';
import { DEBIAN_KERNEL, describeShared } from '../helpers/shared';

const scratch = mkdtempSync(path.join(tmpdir(), 'klp-lens-caches-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let home = '';
/** The cache files written, but the record of the modules folder's walk (written only when its folders are old enough: test/unit/kernel/moduleFolder.test.ts). */
const written = () => {
  const dir = path.join(home, 'klp-lens', 'module-index');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.idx') && !f.startsWith('module-listing-')).sort() : [];
};
const KINDS = ['config', 'kallsyms', 'list-builtin', 'list-builtin-modinfo', 'list-order', 'modules', 'symvers'];

/**
 * The diagnostics of lp-cdrom.c from a server whose cache folder is `home`, once its kernel is
 * read (`ready` runs then); the server is stopped once it wrote its caches, or at once.
 */
async function diagnosticsWithTheKernel(ready: () => void, waitForCaches = true): Promise<string[]> {
  const client = TestClient.spawn('stdio', { env: { XDG_CACHE_HOME: home } });
  client.settings = { kernel: { buildDir: DEBIAN_KERNEL } };
  try {
    await client.initialize([fixturePath('lsp')]);
    await client.waitFor('the kernel', () => client.kernelStatuses.some((s) => s.state === 'ready'), 60_000);
    ready();
    const diagnostics = await client.diagnostics(await client.open(path.resolve(__dirname, '../../examples/lp-cdrom.c')));
    if (waitForCaches) await client.waitFor('the caches', () => written().length >= KINDS.length);
    return diagnostics.map((d) => `${d.code}: ${d.message}`);
  } finally {
    await client.stop();
  }
}

describeShared("the kernel's caches", () => {
  it('are written after the first analysis with the kernel, and read by the next server', async () => {
    home = path.join(scratch, 'idle');
    const first = await diagnosticsWithTheKernel(() => expect(written()).toEqual([]));
    expect(first.length).toBeGreaterThan(0);
    const files = written();
    expect(files.map((f) => f.replace(/-\w+\.idx$/, ''))).toEqual(KINDS);
    expect(await diagnosticsWithTheKernel(() => expect(written()).toEqual(files))).toEqual(first);
  });

  it('are written at shutdown when the session ends before the server was idle', async () => {
    home = path.join(scratch, 'short');
    await diagnosticsWithTheKernel(() => undefined, false);
    expect(written().map((f) => f.replace(/-\w+\.idx$/, ''))).toEqual(KINDS);
  });
});
