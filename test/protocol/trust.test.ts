// Workspace trust over the built server: told the workspace is untrusted (VS Code's Restricted
// Mode), it answers Verify with the Compiler and Build Module without running a program (a make,
// patch or gcc first on PATH would leave a mark), and runs them once told the user trusts it.
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BuildModuleRequest, VerifyWithCompilerRequest, WorkspaceTrustedNotification } from '../../server/src/lsp/protocol';
import { CLIENT_CAPABILITIES, TestClient, uriOf } from '../../tools/src/lspClient';

const root = mkdtempSync(path.join(tmpdir(), 'klp-lens-trust-'));
const workspace = path.join(root, 'workspace');
const shims = path.join(root, 'bin');
const ran = path.join(root, 'ran');
cpSync(path.join(__dirname, '../../examples'), workspace, { recursive: true });
mkdirSync(shims);
for (const program of ['make', 'patch', 'gcc', 'cp']) {
  writeFileSync(path.join(shims, program), `#!/bin/sh\necho ${program} >> '${ran}'\nexit 1\n`);
  chmodSync(path.join(shims, program), 0o755);
}

describe('klp-lens-server in an untrusted workspace', () => {
  const client = TestClient.spawn('stdio', { env: { PATH: `${shims}:${process.env.PATH}` } });
  afterAll(() => {
    client.kill();
    rmSync(root, { recursive: true, force: true });
  });
  const module = uriOf(path.join(workspace, 'lp-cmdline.c'));
  const patch = uriOf(path.join(workspace, 'proc-fix.patch'));

  it('runs no program for Verify with the Compiler or Build Module', async () => {
    client.settings = { kernel: { buildDir: path.join(workspace, 'kernel'), sourceDir: path.join(workspace, 'kernel') } };
    await client.initialize([workspace], CLIENT_CAPABILITIES, { workspaceTrusted: false });
    const built = await client.connection.sendRequest(BuildModuleRequest.type, { uri: module });
    const verified = await client.connection.sendRequest(VerifyWithCompilerRequest.type, { uri: patch });
    expect([built.ok, built.message]).toEqual([false, expect.stringMatching(/not trusted/)]);
    expect([verified.ok, verified.message]).toEqual([false, expect.stringMatching(/not trusted/)]);
    expect(existsSync(ran)).toBe(false);
  });

  it('builds once the user trusts the workspace', async () => {
    await client.connection.sendNotification(WorkspaceTrustedNotification.type, {});
    const built = await client.connection.sendRequest(BuildModuleRequest.type, { uri: module });
    expect(built.message).not.toMatch(/not trusted/);
    expect(await client.stop()).toBe(0);
  });
});
