// The @vscode/test-electron suite (`npm run test:electron`): runs inside VS Code's extension
// host, on a copy of examples/ whose workspace settings choose the kernel, and checks what a
// user sees first: the findings on lp-cmdline.c and the patch stack in its hover.
// Bundled to dist/electron-suite.js (CommonJS) by scripts/editor.mjs.
import * as assert from 'node:assert';
import * as vscode from 'vscode';

const TIMEOUT_MS = 60_000;

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'VS Code opened no folder');
  const uri = vscode.Uri.joinPath(folder.uri, 'lp-cmdline.c');
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);

  // missing-replace on `static struct klp_patch patch = {` (line 41), overlapping-function on the klp_func entries.
  await waitFor('missing-replace at line 41 and overlapping-function on lp-cmdline.c', () => {
    const diagnostics = vscode.languages.getDiagnostics(uri);
    return diagnostics.some((d) => codeOf(d) === 'missing-replace' && d.range.start.line === 40) && diagnostics.some((d) => codeOf(d) === 'overlapping-function');
  });

  // The hover on "cmdline_proc_show" (line 25): the function's stack after the series, newest first.
  const line = document.lineAt(24).text;
  const column = line.indexOf('"cmdline_proc_show"');
  assert.ok(column >= 0, `line 25 of lp-cmdline.c is ${JSON.stringify(line)}`);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(24, column + 2));
  const text = hovers.flatMap((hover) => hover.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  assert.match(text, /lp_cmdline[^]*proc_fix/, `the hover does not show lp_cmdline over proc_fix:\n${text}`);
}

function codeOf(diagnostic: vscode.Diagnostic): string | number | undefined {
  return typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
}

/** Polls `probe` until it holds, or fails after TIMEOUT_MS naming `what`. */
async function waitFor(what: string, probe: () => boolean): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${TIMEOUT_MS / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
