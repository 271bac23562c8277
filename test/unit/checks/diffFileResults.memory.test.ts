// The per-file-group caches live as long as the session and its kernel: they must not keep the
// analysis they were last read for (and with it every patch it read) once nothing else does.
import { describe, expect, it } from 'vitest';
import { perFileGroup } from '../../../server/src/checks/diffFileResults';
import { Memo } from '../../../server/src/common/memo';
import { kernel, livepatch, series } from '../../helpers/builders';
import { collectGarbage } from '../../helpers/garbage';

describe('perFileGroup caches', () => {
  it('let go of the analysis they were read for', async () => {
    const [memo, kernelContext] = [new Memo(), kernel()];
    const read = (n: number) => {
      const ctx = series([livepatch(`lp${n}`)], kernelContext, memo);
      perFileGroup(ctx, 'test', () => n, (value) => value);
      return new WeakRef(ctx);
    };
    const first = read(1);
    await collectGarbage();
    expect(first.deref()).toBeUndefined();
    // The session reads on.
    expect(read(2).deref()).toBeDefined();
  });
});
