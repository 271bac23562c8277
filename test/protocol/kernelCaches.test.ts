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

const home = mkdtempSync(path.join(tmpdir(), 'klp-lens-caches-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const written = () => {
  const dir = path.join(home, 'klp-lens', 'module-index');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.idx')) : [];
};

/** The diagnostics of lp-cdrom.c from a server whose cache folder is `home`, once its kernel is read; `ready` runs then. */
async function diagnosticsWithTheKernel(ready: () => void): Promise<string[]> {
  const client = TestClient.spawn('stdio', { env: { XDG_CACHE_HOME: home } });
  client.settings = { kernel: { buildDir: DEBIAN_KERNEL } };
  try {
    await client.initialize([fixturePath('lsp')]);
    await client.waitFor('the kernel', () => client.kernelStatuses.some((s) => s.state === 'ready'), 60_000);
    ready();
    const diagnostics = await client.diagnostics(await client.open(path.resolve(__dirname, '../../examples/lp-cdrom.c')));
    await client.waitFor('the caches', () => written().length >= 7);
    return diagnostics.map((d) => `${d.code}: ${d.message}`);
  } finally {
    await client.stop();
  }
}

describeShared("the kernel's caches", () => {
  it('are written after the first analysis with the kernel, and read by the next server', async () => {
    const first = await diagnosticsWithTheKernel(() => expect(written()).toEqual([]));
    expect(first.length).toBeGreaterThan(0);
    const files = written().sort();
    expect(files.map((f) => f.replace(/-\w+\.idx$/, ''))).toEqual(['config', 'kallsyms', 'list-builtin', 'list-builtin-modinfo', 'list-order', 'modules', 'symvers']);
    expect(await diagnosticsWithTheKernel(() => expect(written().sort()).toEqual(files))).toEqual(first);
  });
});
