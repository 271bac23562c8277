// klpLens/seriesState: the whole series as the livepatch core would leave it.
import type { Feature } from './feature';
import { SeriesStateRequest, type SeriesState } from './protocol';
import type { WorkspaceView } from './workspace';

export function seriesState(view: WorkspaceView): SeriesState {
  return {
    steps: view.analysis.results,
    // LEAD: the features helper's summary fills this: `patches: seriesPatches(view)` (features/seriesState.ts).
    patches: [],
    seriesUri: view.seriesFile === undefined ? null : view.toUri(view.seriesFile),
    kernel: view.kernelStatus,
  };
}

const NO_STATE: SeriesState = { steps: [], patches: [], seriesUri: null, kernel: { state: 'none', description: 'no analysis', source: null } };

export const seriesStateFeature: Feature = {
  capabilities: {},
  register: (connection, workspace) => connection.onRequest(SeriesStateRequest.type, workspace.viewHandler(SeriesStateRequest.method, NO_STATE, seriesState)),
};
