// klpLens/seriesState: the whole series as the livepatch core would leave it.
import type { Feature } from './feature';
import { seriesState } from './features/seriesState';
import { SeriesStateRequest, type SeriesState } from './protocol';
import type { WorkspaceView } from './workspace';

function answer(view: WorkspaceView): SeriesState {
  return seriesState(view, view.seriesFile === undefined ? null : view.toUri(view.seriesFile), view.kernelStatus);
}

const NO_STATE: SeriesState = { steps: [], patches: [], seriesUri: null, kernel: { state: 'none', description: 'no analysis', source: null } };

export const seriesStateFeature: Feature = {
  capabilities: {},
  register: (connection, workspace) => connection.onRequest(SeriesStateRequest.type, workspace.viewHandler(SeriesStateRequest.method, NO_STATE, answer)),
};
