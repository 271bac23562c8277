// klpLens/compareRunning: "Compare with This Machine" — the series' final state beside the
// livepatches of the machine the server runs on (/sys/kernel/livepatch, /proc/modules).
import { compareWithRunning, describeComparison, differences } from '../analysis/running';
import { nodeFileSource } from '../common/fileSource';
import { readRunning } from '../kernel/running';
import type { Feature } from './feature';
import { CompareRunningRequest, type CompareRunningResult } from './protocol';

/** "/", or where KLP_LENS_MACHINE_ROOT says the machine's /sys and /proc are (a container with the host's mounted elsewhere, a snapshot). */
const machineRoot = () => process.env.KLP_LENS_MACHINE_ROOT || '/';

const NOT_RUN: CompareRunningResult = { same: false, message: 'the comparison did not run (see the Livepatch Lens output)', output: [] };

export const compareRunningFeature: Feature = {
  capabilities: {},
  register: (connection, workspace) =>
    connection.onRequest(
      CompareRunningRequest.type,
      workspace.viewHandler(CompareRunningRequest.method, NOT_RUN, (view): CompareRunningResult => {
        const machine = readRunning(nodeFileSource(), machineRoot());
        const unreadable = machine.problems.find((p) => p.severity === 'error');
        if (unreadable) return { same: false, message: unreadable.message, output: [] };
        const comparison = compareWithRunning(view.analysis.livepatches.map((lp) => lp.name), view.analysis.results.at(-1), machine);
        const count = differences(comparison);
        const message = count === 0 ? 'this machine is where the series leads' : `${count} difference${count === 1 ? '' : 's'} between the series and this machine`;
        return { same: count === 0, message, output: describeComparison(comparison) };
      }),
    ),
};
