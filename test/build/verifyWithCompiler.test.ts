// "Verify with the compiler" through the language server over stdio, on Debian's real 6.1 tree:
// progress while it compiles, then the patch read as the compiler says, and the prediction's
// misses shown as compiler-disagreement diagnostics; a patch that does not compile is an error.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VerifyWithCompilerRequest } from '../../server/src/lsp/protocol';
import { ensureBuilt, TestClient, uriOf } from '../../tools/src/lspClient';
import { DEBIAN_KERNEL, HAS_SHARED } from '../helpers/shared';
import { BUILD_SKIP, BUILD_TIER, CACHE, ensureBuildPackages, originalTree, truthSample } from './truthData';

const log = (line: string) => console.log(`build tier: ${line}`);
const folder = mkdtempSync(path.join(tmpdir(), 'klp-lens-verify-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe(`Verify with the compiler, in the language server${BUILD_TIER ? '' : ` — ${BUILD_SKIP}`}`, () => {
  it.skipIf(!BUILD_TIER || !HAS_SHARED)(
    'compiles with progress, then diagnoses where the prediction differed, and a patch that does not compile',
    async () => {
      await ensureBuildPackages(log);
      const source = await originalTree(log);
      ensureBuilt();
      // The first patch of the truth sample, and the same with a `;` dropped from an added line.
      const truth = truthSample()[0];
      const patch = path.join(folder, 'fix.patch');
      copyFileSync(truth.patchFile, patch);
      const broken = path.join(folder, 'broken.patch');
      writeFileSync(broken, readFileSync(truth.patchFile, 'utf8').replace(/^\+(.*);$/m, '+$1'));
      // The server's cache is $XDG_CACHE_HOME/klp-lens: the compile-check test's prepared tree.
      process.env.XDG_CACHE_HOME = CACHE;
      const client = TestClient.spawn();
      client.settings = { kernel: { buildDir: DEBIAN_KERNEL, sourceDir: source } };
      await client.initialize([folder]);
      await client.waitFor('the kernel', () => client.kernelStatuses.some((s) => s.state === 'ready'));
      const result = await client.connection.sendRequest(VerifyWithCompilerRequest.type, { uri: uriOf(patch) });
      log(`verify: ${result.message}`);
      expect(result.ok).toBe(true);
      expect(client.progress.some((p) => p.value.kind === 'begin')).toBe(true);
      expect(client.progress.some((p) => p.value.kind === 'end')).toBe(true);
      const patched = truth.objects.flatMap((o) => o.patched);
      for (const f of patched) expect(result.message).toContain(f);
      const failed = await client.connection.sendRequest(VerifyWithCompilerRequest.type, { uri: uriOf(broken) });
      expect(failed.ok).toBe(false);
      await client.waitFor('the compiler-disagreement error', async () => (await client.diagnostics(uriOf(broken))).some((d) => d.code === 'compiler-disagreement' && d.severity === 1));
      await client.stop();
    },
    30 * 60_000,
  );
});
