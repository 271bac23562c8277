// System states: kernel/livepatch/state.c klp_is_patch_compatible() (reference section 5).
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../server/src/simulator/simulate';
import { isPatchCompatible } from '../../../server/src/simulator/states';
import { disable, load, patch, patches } from './builders';

const s = (id: number, version: number) => ({ id, version });
const incompatible = (name: string) =>
  `livepatch: Livepatch patch (${name}) is not compatible with the already installed livepatches.\n` +
  `insmod: ERROR: could not insert module ${name}.ko: Invalid parameters`;

describe('isPatchCompatible', () => {
  const old = patch('old', { states: [s(1, 2)] });

  it('refuses a replace patch that lacks an installed state', () => {
    const r = isPatchCompatible([old], patch('new', { replace: true }));
    expect(r).toMatchObject({ ok: false, stateId: 1 });
    expect(r.ok || r.reason).toMatch(/cumulative .* must handle all already modified states/);
  });

  it('allows a non-replace patch that lacks an installed state', () => {
    expect(isPatchCompatible([old], patch('new'))).toEqual({ ok: true });
  });

  it('refuses an older version, replace or not', () => {
    for (const replace of [true, false]) {
      const r = isPatchCompatible([old], patch('new', { replace, states: [s(1, 1)] }));
      expect(r).toMatchObject({ ok: false, stateId: 1 });
      expect(r.ok || r.reason).toContain("version 1, older than version 2 of installed livepatch 'old'");
    }
  });

  it('allows the same or a newer version', () => {
    expect(isPatchCompatible([old], patch('new', { replace: true, states: [s(1, 2)] }))).toEqual({ ok: true });
    expect(isPatchCompatible([old], patch('new', { replace: true, states: [s(1, 3)] }))).toEqual({ ok: true });
  });

  it('always allows new state ids', () => {
    expect(isPatchCompatible([old], patch('new', { states: [s(1, 2), s(7, 1)] }))).toEqual({ ok: true });
    expect(isPatchCompatible([], patch('new', { replace: true, states: [s(7, 1)] }))).toEqual({ ok: true });
  });

  it('checks every state of every installed patch', () => {
    const other = patch('other', { states: [s(3, 1)] });
    expect(isPatchCompatible([old, other], patch('new', { replace: true, states: [s(1, 2)] }))).toMatchObject({
      ok: false,
      stateId: 3,
    });
  });

  it('stops reading a states array at the first id 0 (klp_for_each_state)', () => {
    const cut = patch('cut', { states: [s(0, 1), s(5, 9)] });
    expect(isPatchCompatible([cut], patch('new', { replace: true }))).toEqual({ ok: true });
  });
});

describe('states in a series', () => {
  it('refuses a non-replace downgrade with the kernel message, leaving the state as it was', () => {
    const r = simulate([load(patch('a', { states: [s(1, 2)] })), load(patch('b', { states: [s(1, 1)] }))]);
    expect(r[1]).toMatchObject({ ok: false, error: incompatible('b') });
    expect(r[1].patches).toEqual(patches('a'));
  });

  it('refuses a replace patch that drops a state', () => {
    const r = simulate([load(patch('a', { states: [s(1, 1)] })), load(patch('b', { replace: true }))]);
    expect(r[1]).toMatchObject({ ok: false, error: incompatible('b') });
  });

  it('only checks installed patches: after a disable the old state no longer binds', () => {
    const b = patch('b', { replace: true, states: [s(1, 1)] });
    const r = simulate([load(patch('a', { states: [s(1, 2)] })), disable('a'), load(b)]);
    expect(r[2].ok).toBe(true);
  });

  it('a replaced patch no longer binds either: only the replacing patch counts', () => {
    const r = simulate([
      load(patch('a', { states: [s(1, 3)] })),
      load(patch('b', { replace: true, states: [s(1, 3), s(2, 1)] })),
      load(patch('c', { replace: true, states: [s(1, 3), s(2, 1)] })),
    ]);
    expect(r.map((x) => x.ok)).toEqual([true, true, true]);
  });
});
