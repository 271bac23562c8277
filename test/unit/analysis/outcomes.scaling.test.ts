// Each livepatch's outcome takes work linear in the number of loads: the last load of each
// name and the last step's status of each are looked up, not searched for per load.
import { describe, expect, it } from 'vitest';
import { patchOutcomes } from '../../../server/src/analysis/outcomes';
import { livepatch, series } from '../../helpers/builders';
import { countingProperties } from '../../helpers/scaling';

describe('patchOutcomes of many livepatches', () => {
  it('reads each load a bounded number of times', () => {
    const count = 300;
    const ctx = series(Array.from({ length: count }, (_, i) => livepatch(`lp${i}`, { funcs: [`fn${i}`] })));
    const reads = { count: 0 };
    const outcomes = patchOutcomes({ ...ctx, loads: ctx.loads.map((l) => countingProperties(l, ['livepatch', 'step'], reads)) });
    expect(outcomes.map((o) => o.state)).toEqual(Array(count).fill('enabled'));
    // A few reads per load; a search of the later loads per load reads ~count²/2 (45,000).
    expect(reads.count).toBeLessThanOrEqual(6 * count);
  });
});
