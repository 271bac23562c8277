// "Livepatch Lens: Build Module" through the language server over stdio, with Debian's kbuild:
// the unexported-symbol fixture's modpost failures (do_sys_open, ksys_sync, jhash) become the
// file's diagnostics.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BuildModuleRequest } from '../../server/src/lsp/protocol';
import { TestClient, uriOf } from '../../tools/src/lspClient';
import { fixturePath } from '../helpers/fixtures';
import { BUILD_SKIP, BUILD_TIER, ensureBuildPackages, kbuildHeaders } from './truthData';

const log = (line: string) => console.log(`build tier: ${line}`);
const folder = mkdtempSync(path.join(tmpdir(), 'klp-lens-build-request-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe(`Build Module, in the language server${BUILD_TIER ? '' : ` — ${BUILD_SKIP}`}`, () => {
  it.skipIf(!BUILD_TIER)(
    "shows the compiler's and modpost's complaints as the file's diagnostics",
    async () => {
      await ensureBuildPackages(log);
      const buildDir = await kbuildHeaders(log);
      const file = path.join(folder, 'lp_open.c');
      copyFileSync(fixturePath('checks', 'unexported-symbol', 'bad.c'), file);
      const client = TestClient.spawn();
      client.settings = { kernel: { buildDir } };
      await client.initialize([folder]);
      await client.waitFor('the kernel', () => client.kernelStatuses.some((s) => s.state === 'ready'));
      const result = await client.connection.sendRequest(BuildModuleRequest.type, { uri: uriOf(file) });
      expect(result.ok).toBe(false);
      expect(result.output.join('\n')).toContain('`do_sys_open` is undefined');
      await client.waitFor('the modpost diagnostics', async () => (await client.diagnostics(uriOf(file))).filter((d) => d.code === 'modpost').length === 3, 60_000);
      await client.stop();
    },
    20 * 60_000,
  );
});
