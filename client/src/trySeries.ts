// "Livepatch Lens: Try the Series in a VM": runs `klp-lens try` (the extension's dist/cli.js) on
// the workspace's series with the Debian kernel the user names, its progress in a notification,
// its report (each step's real state beside the predicted one) in the output channel, and the
// disagreements in a message that opens it.
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { BUILD_DIR_SETTING, CLIENT_ID, SERIES_SETTING } from './ids';
import { tryArguments } from './tryArguments';

const RELEASE_KEY = 'klpLens.try.release';
const RELEASE = /^\d+\.\d+\.\d+-\d+-amd64$/;

export async function trySeriesInVm(cli: string, output: vscode.OutputChannel, memento: vscode.Memento): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return void vscode.window.showWarningMessage('Livepatch Lens: open a folder with a livepatch series to try it.');
  if (!vscode.workspace.isTrusted) return void vscode.window.showWarningMessage('Livepatch Lens: trust the workspace to build its modules and boot a kernel.');
  const running = os.release();
  const release = await vscode.window.showInputBox({
    title: 'Livepatch Lens: Try the Series in a VM',
    prompt: 'The Debian kernel to boot under qemu (linux-image-<release>-unsigned is downloaded once; its headers must be installed)',
    value: memento.get<string>(RELEASE_KEY) ?? (RELEASE.test(running) ? running : ''),
    validateInput: (v) => (RELEASE.test(v.trim()) ? null : 'a Debian kernel release, e.g. 6.1.0-57-amd64'),
  });
  if (!release) return;
  await memento.update(RELEASE_KEY, release.trim());
  const config = vscode.workspace.getConfiguration(CLIENT_ID, folder.uri);
  const args = tryArguments({ cli, release: release.trim(), folder: folder.uri.fsPath, buildDir: config.get<string>(BUILD_DIR_SETTING, ''), series: config.get<string>(SERIES_SETTING, '') });
  output.appendLine(`klp-lens ${args.slice(1).join(' ')}`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Livepatch Lens: trying the series', cancellable: true },
    (progress, token) =>
      new Promise<{ code: number | null; stdout: string; lastError: string }>((resolve) => {
        // The extension host's own Node; in desktop VS Code that is Electron, which runs as Node with ELECTRON_RUN_AS_NODE.
        const child = spawn(process.execPath, args, { cwd: folder.uri.fsPath, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
        let stdout = '';
        let lastError = '';
        token.onCancellationRequested(() => child.kill());
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          for (const line of chunk.split('\n').filter(Boolean)) {
            output.appendLine(line);
            lastError = line.replace(/^klp-lens try: /, '');
            progress.report({ message: lastError });
          }
        });
        child.on('error', (err) => resolve({ code: null, stdout, lastError: err.message }));
        child.on('close', (code) => resolve({ code, stdout, lastError }));
      }),
  );
  output.append(result.stdout);
  const summary = result.stdout.trim().split('\n').at(-1) ?? '';
  if (result.code === 0) return void vscode.window.showInformationMessage(`Livepatch Lens: the kernel agrees: ${summary}.`);
  const message = result.code === 1 ? `the kernel and the prediction differ: ${summary}` : `the series could not be tried: ${result.lastError || `exit ${result.code}`}`;
  if ((await vscode.window.showWarningMessage(`Livepatch Lens: ${message}.`, 'Show Output')) === 'Show Output') output.show();
}
