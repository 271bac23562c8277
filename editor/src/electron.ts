// `npm run test:electron`: the @vscode/test-electron runner, for machines that can download
// VS Code. It opens a copy of examples/ (its workspace settings choose the kernel) with the
// extension under development and runs test/electron/suite.ts (dist/electron-suite.js) in
// the extension host. Machines without that download run the editor tier on code-server
// (`npm run test:e2e`).
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests, SilentReporter } from '@vscode/test-electron';
import { packageRoot } from '../../server/src/common/packageRoot';
import { errorMessage } from '../../server/src/common/problem';
import { fail } from '../../tools/src/toolError';
import { kernelSettingsHere } from './kernelSettings';
import { buildExtension } from './vsix';

/** Runs the suite; fails with a one-line reason when VS Code cannot be had or the suite fails. */
export async function testElectron(log: (line: string) => void): Promise<void> {
  const root = packageRoot();
  await buildExtension(log);
  let vscodeExecutablePath: string;
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({ cachePath: path.join(root, '.cache', 'vscode-test'), reporter: new SilentReporter() });
  } catch (err) {
    fail(`the VS Code download failed (${errorMessage(err)}); this machine runs the real-editor tests on code-server with \`npm run test:e2e\``);
  }
  const workspace = mkdtempSync(path.join(tmpdir(), 'klp-lens-electron-'));
  try {
    cpSync(path.join(root, 'examples'), workspace, { recursive: true });
    mkdirSync(path.join(workspace, '.vscode'));
    writeFileSync(path.join(workspace, '.vscode', 'settings.json'), `${JSON.stringify(kernelSettingsHere(workspace), null, 2)}\n`);
    log(`running test/electron/suite.ts in VS Code (${vscodeExecutablePath}) on ${workspace}`);
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'dist', 'electron-suite.js'),
      launchArgs: [workspace, '--disable-extensions'],
    });
  } catch (err) {
    fail(`the suite failed in VS Code: ${errorMessage(err)}`);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}
