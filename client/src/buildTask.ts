// The "Build module" task (type klp-lens): `klp-lens build` of the livepatch module in the
// active editor (or the file a tasks.json entry names) against the kernel Build Module uses,
// run in a terminal by the extension's own dist/cli.js; the klp-lens problem matcher
// (package.json problemMatchers) puts the compiler's and modpost's complaints in the Problems panel.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { moduleBuildFolder } from '../../server/src/lsp/protocol';
import { BUILD_DIR_SETTING, CLIENT_ID, PROBLEM_MATCHER, TASK_TYPE } from './ids';

const TASK_NAME = 'Build module';

/** The properties of a klp-lens task (package.json taskDefinitions). */
interface BuildTaskDefinition extends vscode.TaskDefinition {
  task: 'build';
  /** The module's C source; `${file}` is the active editor's. */
  file: string;
}

/** Provides and resolves the klp-lens tasks; `cli` is the extension's dist/cli.js. */
export function registerBuildTasks(cli: string): vscode.Disposable {
  return vscode.tasks.registerTaskProvider(TASK_TYPE, new BuildTaskProvider(cli));
}

class BuildTaskProvider implements vscode.TaskProvider {
  constructor(private readonly cli: string) {}

  provideTasks(): vscode.Task[] {
    return (vscode.workspace.workspaceFolders ?? []).map((folder) => this.task({ type: TASK_TYPE, task: 'build', file: '${file}' }, folder));
  }

  /** A tasks.json entry of type klp-lens. */
  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const definition = task.definition as BuildTaskDefinition;
    if (definition.task !== 'build' || typeof definition.file !== 'string') return undefined;
    // The same definition object: VS Code finds the tasks.json entry by it.
    return this.task(definition, task.scope);
  }

  private task(definition: BuildTaskDefinition, scope: vscode.Task['scope']): vscode.Task {
    const folder = typeof scope === 'object' ? scope : undefined;
    const setting = vscode.workspace.getConfiguration(CLIENT_ID, folder).get<string>(BUILD_DIR_SETTING, '');
    const kernel = moduleBuildFolder(setting && folder ? path.resolve(folder.uri.fsPath, setting) : setting);
    // The extension host's own Node; in desktop VS Code that is Electron, which runs as Node with ELECTRON_RUN_AS_NODE.
    const execution = new vscode.ProcessExecution(process.execPath, [this.cli, 'build', '--kernel', kernel, definition.file], {
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
    return new vscode.Task(definition, scope ?? vscode.TaskScope.Workspace, TASK_NAME, TASK_TYPE, execution, `$${PROBLEM_MATCHER}`);
  }
}
