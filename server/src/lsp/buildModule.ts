// klpLens/buildModule: "Livepatch Lens: Build Module" — the hand-written livepatch module in the
// editor built with the kernel's kbuild and converted (compiler/moduleBuild.ts). The compiler's
// and modpost's complaints become the file's diagnostics while it reads as it was built; the
// module goes beside the source.
import * as path from 'node:path';
import { defaultCacheDir } from '../common/cacheDir';
import { buildModules } from '../compiler/moduleBuild';
import { missingBuildTools } from '../compiler/processes';
import type { Feature } from './feature';
import { settingPath } from './kernelOptions';
import { BuildModuleRequest, moduleBuildFolder, type BuildModuleParams, type BuildModuleResult } from './protocol';
import type { LivepatchWorkspace, WorkspaceView } from './workspace';

const NOT_RUN: BuildModuleResult = { ok: false, message: 'the build did not run (see the Livepatch Lens output)', output: [] };

export const buildModuleFeature: Feature = {
  capabilities: {},
  register: (connection, workspace) =>
    connection.onRequest(BuildModuleRequest.type, workspace.viewHandler(BuildModuleRequest.method, NOT_RUN, (view, params: BuildModuleParams) => build(workspace, view, params))),
};

async function build(workspace: LivepatchWorkspace, view: WorkspaceView, params: BuildModuleParams): Promise<BuildModuleResult> {
  const refused = workspace.programsRefused();
  if (refused) return { ok: false, message: refused, output: [] };
  const file = view.toFile(params.uri);
  const text = view.readText(file);
  if (text === undefined || !view.analysis.livepatches.some((lp) => lp.file === file && lp.kind === 'module')) {
    return { ok: false, message: `${path.basename(file)} is no hand-written livepatch module of the workspace`, output: [] };
  }
  const missing = missingBuildTools();
  if (missing) return { ok: false, message: missing, output: [] };
  const buildDir = moduleBuildFolder(settingPath(view.settings.kernel.buildDir, view.folders[0]) ?? '');
  const result = await buildModules({ buildDir, sources: [file], cacheDir: defaultCacheDir() });
  workspace.takeBuildProblems(file, text, result.problems);
  const output = result.problems.map((p) => `${p.file}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity}: ${p.message}`);
  const [module] = result.modules;
  if (!module.ko || result.problems.some((p) => p.severity === 'error')) {
    return { ok: false, message: `${path.basename(file)} did not build against ${buildDir} (see Problems)`, output };
  }
  const klp = module.klpSymbols.length > 0 ? `; ${module.klpSymbols.length} klp symbol${module.klpSymbols.length === 1 ? '' : 's'} converted` : '';
  return { ok: true, message: `built ${module.ko} against ${buildDir}${klp}`, output: [...output, `built ${module.ko}${klp}`] };
}
