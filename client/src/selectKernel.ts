// klpLens.selectKernel: pick an installed kernel's build directory or any folder, and
// write it to klpLens.kernel.buildDir, for the workspace or the user as asked, and say
// where. It only lists directories; nothing is run.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BUILD_DIR_SETTING, CLIENT_ID } from './ids';

const MODULES_ROOT = '/lib/modules';
const SETTING = `${CLIENT_ID}.${BUILD_DIR_SETTING}`;

type Choice = vscode.QuickPickItem & ({ action: 'browse' | 'clear' } | { action: 'use'; dir: string });

/** The build directories of the kernels installed here (/lib/modules/<release>/build). */
async function installedBuildDirs(): Promise<string[]> {
  const releases = await fs.readdir(MODULES_ROOT).catch(() => [] as string[]);
  const dirs = await Promise.all(
    releases.sort().map(async (release) => {
      const dir = path.join(MODULES_ROOT, release, 'build');
      const stat = await fs.stat(dir).catch(() => undefined);
      return stat?.isDirectory() ? dir : undefined;
    }),
  );
  return dirs.filter((d): d is string => d !== undefined);
}

export async function selectKernel(): Promise<void> {
  const config = vscode.workspace.getConfiguration(CLIENT_ID);
  const current = config.get<string>(BUILD_DIR_SETTING, '');
  const choices: Choice[] = [
    {
      action: 'browse',
      label: '$(folder-opened) Choose a folder...',
      detail: 'A kernel build directory, or a folder of kernel artifacts (Module.symvers, kallsyms or System.map, config, modules/)',
    },
    ...(await installedBuildDirs()).map((dir): Choice => ({
      action: 'use',
      dir,
      label: `$(server) ${path.basename(path.dirname(dir))}`,
      description: dir === current ? 'installed kernel, selected' : 'installed kernel',
      detail: dir,
    })),
  ];
  if (current) {
    choices.push({ action: 'clear', label: '$(discard) Use the running kernel', detail: `Clear ${SETTING}: the running kernel's /lib/modules/$(uname -r)/build` });
  }
  const choice = await vscode.window.showQuickPick(choices, {
    title: 'Select Kernel',
    placeHolder: `Now: ${current || "the running kernel's build directory"}`,
    matchOnDetail: true,
  });
  if (!choice) return;
  let dir: string | undefined;
  if (choice.action === 'use') dir = choice.dir;
  if (choice.action === 'browse') {
    const picked = await vscode.window.showOpenDialog({
      title: 'Kernel build directory or folder of kernel artifacts',
      openLabel: 'Use as Kernel',
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
    });
    if (!picked?.[0]) return;
    dir = picked[0].fsPath;
  }
  const target = await askTarget();
  if (target === undefined) return;
  await config.update(BUILD_DIR_SETTING, dir, target);
  // Where first: a notification shows one line, and the folder can be long.
  const where = target === vscode.ConfigurationTarget.Workspace ? settingsFileOfWorkspace() : 'your user settings';
  void vscode.window.showInformationMessage(
    dir ? `Livepatch Lens: saved in ${where}: ${SETTING} = ${dir}` : `Livepatch Lens: cleared in ${where}: ${SETTING}, the running kernel is used`,
  );
}

/** Where a workspace setting is written, as the user knows it: `<folder>/.vscode/settings.json`, or the .code-workspace file. */
function settingsFileOfWorkspace(): string {
  const file = vscode.workspace.workspaceFile;
  if (file && file.scheme === 'file') return path.basename(file.fsPath);
  return path.join(vscode.workspace.workspaceFolders![0].name, '.vscode', 'settings.json');
}

/** The settings the choice goes to; undefined when the user dismisses the question. */
async function askTarget(): Promise<vscode.ConfigurationTarget | undefined> {
  // An untrusted workspace ignores its own value of this setting
  // (capabilities.untrustedWorkspaces.restrictedConfigurations): only the user's counts.
  if (!vscode.workspace.isTrusted || !vscode.workspace.workspaceFolders?.length) return vscode.ConfigurationTarget.Global;
  type Target = vscode.QuickPickItem & { target: vscode.ConfigurationTarget };
  const targets: Target[] = [
    { target: vscode.ConfigurationTarget.Workspace, label: '$(folder) This workspace', detail: `Saved in ${settingsFileOfWorkspace()}: for these livepatches only` },
    { target: vscode.ConfigurationTarget.Global, label: '$(account) User settings', detail: 'For every workspace that does not choose its own kernel' },
  ];
  const picked = await vscode.window.showQuickPick(targets, { title: 'Select Kernel: save the choice for', placeHolder: `Where to save ${SETTING}` });
  return picked?.target;
}
