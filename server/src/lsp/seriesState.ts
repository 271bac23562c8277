// klpLens/seriesState: the whole series as the livepatch core would leave it, with the
// findings of the series file and of each livepatch's file (the client's summary and marks).
import type { Problem } from '../common/problem';
import type { Feature } from './feature';
import { seriesState } from './features/seriesState';
import { NO_FINDINGS, SeriesStateRequest, type FindingCounts, type SeriesState } from './protocol';
import type { WorkspaceView } from './workspace';

function counts(problems: readonly Problem[]): FindingCounts {
  const out: FindingCounts = { ...NO_FINDINGS };
  for (const p of problems) out[p.severity]++;
  return out;
}

function answer(view: WorkspaceView): SeriesState {
  const seriesUri = view.seriesFile === undefined ? null : view.toUri(view.seriesFile);
  const state = seriesState(view, seriesUri, view.kernelStatus);
  // A file twice in the series (a patch loaded again) counts once.
  const uris = [...new Set([...(seriesUri ? [seriesUri] : []), ...state.patches.map((p) => p.uri)])];
  const problems = new Map(uris.map((uri) => [uri, view.problemsIn(view.toFile(uri))]));
  const byUri = Object.fromEntries([...problems].map(([uri, list]) => [uri, counts(list)]));
  return { ...state, findings: { total: counts([...problems.values()].flat()), byUri } };
}

const NO_STATE: SeriesState = {
  steps: [],
  patches: [],
  seriesUri: null,
  kernel: { state: 'none', description: 'no analysis', source: null },
  findings: { total: NO_FINDINGS, byUri: {} },
};

export const seriesStateFeature: Feature = {
  capabilities: {},
  register: (connection, workspace) => connection.onRequest(SeriesStateRequest.type, workspace.viewHandler(SeriesStateRequest.method, NO_STATE, answer)),
};
