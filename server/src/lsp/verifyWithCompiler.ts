// klpLens/verifyWithCompiler: the compile check of one patch diff from the editor. In the
// kernel source tree the settings name, configured with the kernel's .config (prepared once and
// cached, with progress shown), the objects the patch touches are compiled before and after it;
// from then on, until the patch changes, the patch is read as the compiler says and the
// diagnostics show where the prediction differed (checks/compiler-disagreement.ts).
import type { Connection } from 'vscode-languageserver';
import { errorMessage } from '../common/problem';
import { CompileChecker, type CompileCheckResult } from '../compiler/compileCheck';
import { defaultCacheDir } from '../common/cacheDir';
import { compilerAnswerOf } from '../compiler/answer';
import { readKernelFile } from '../kernel/compressed';
import type { Feature } from './feature';
import { VerifyWithCompilerRequest, type VerifyWithCompilerParams, type VerifyWithCompilerResult } from './protocol';
import type { LivepatchWorkspace, WorkspaceView } from './workspace';

const NOT_RUN: VerifyWithCompilerResult = { ok: false, message: 'the compile check did not run (see the Livepatch Lens output)' };

export const verifyWithCompilerFeature: Feature = {
  capabilities: {},
  register: (connection, workspace) => {
    const checkers = new Map<string, CompileChecker>();
    connection.onRequest(
      VerifyWithCompilerRequest.type,
      workspace.viewHandler(VerifyWithCompilerRequest.method, NOT_RUN, (view, params: VerifyWithCompilerParams) => verify(connection, workspace, view, params, checkers)),
    );
  },
};

async function verify(
  connection: Connection,
  workspace: LivepatchWorkspace,
  view: WorkspaceView,
  params: VerifyWithCompilerParams,
  checkers: Map<string, CompileChecker>,
): Promise<VerifyWithCompilerResult> {
  const refused = workspace.programsRefused();
  if (refused) return { ok: false, message: refused };
  const file = view.toFile(params.uri);
  const text = view.readText(file);
  const lp = view.analysis.livepatches.find((l) => l.file === file);
  if (text === undefined || lp?.kind !== 'diff') return { ok: false, message: `${file} is not a patch diff of the workspace` };
  const { sourceDir, configFile } = view.kernel;
  if (!sourceDir) return { ok: false, message: 'the compile check needs the kernel source tree the patch applies to: set klpLens.kernel.sourceDir' };
  if (!configFile) return { ok: false, message: "the compile check needs the target's .config: select a kernel whose folder has .config or config.xz" };
  const progress = await connection.window.createWorkDoneProgress();
  progress.begin('Livepatch Lens: verifying with the compiler', undefined, 'reading the .config', false);
  try {
    const key = `${sourceDir}\0${configFile}`;
    let checker = checkers.get(key);
    if (!checker) {
      const configText = (await readKernelFile(configFile)).toString('utf8');
      checker = new CompileChecker({ source: sourceDir, configText, cacheDir: defaultCacheDir(), progress: (m) => progress.report(m) });
      checkers.set(key, checker);
    }
    progress.report('compiling the objects the patch touches, before and after it');
    const result = await checker.check(file, text);
    await workspace.takeCompilerAnswer(lp.file, compilerAnswerOf(result, text));
    return summary(result);
  } catch (err) {
    return { ok: false, message: `the compile check failed: ${errorMessage(err)}` };
  } finally {
    progress.done();
  }
}

function summary(result: CompileCheckResult): VerifyWithCompilerResult {
  if (result.error) return { ok: false, message: result.error };
  const failed = result.objects.filter((o) => o.error);
  if (failed.length > 0) return { ok: false, message: `${failed.map((o) => o.source).join(', ')} does not compile (see Problems)` };
  const patched = result.objects.flatMap((o) => (o.changes?.patched ?? []).map((f) => `${f} (${o.target})`));
  const what = patched.length === 0 ? 'GCC changes no function' : `GCC changes ${patched.length} function${patched.length === 1 ? '' : 's'}: ${patched.join(', ')}`;
  return { ok: true, message: `${what}; ${result.seconds.toFixed(0)} s. Where the prediction differed is in Problems (compiler-disagreement).` };
}
