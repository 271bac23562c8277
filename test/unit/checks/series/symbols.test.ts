// ambiguous-symbol, sympos-not-found and unknown-symbol: klp_find_object_symbol()'s three refusals.
import { describe, expect, it } from 'vitest';
import { check as ambiguous } from '../../../../server/src/checks/ambiguous-symbol';
import type { Check } from '../../../../server/src/checks/check';
import { Memo } from '../../../../server/src/common/memo';
import { check as symposNotFound } from '../../../../server/src/checks/sympos-not-found';
import { check as unknown } from '../../../../server/src/checks/unknown-symbol';
import { kernel, livepatch, series } from '../../../helpers/builders';

const k = kernel({
  symbols: {
    vmlinux: ['type_show', 'cmdline_proc_show', 'type_show', 'type_show', 'update_curr.isra.0', 'update_curr.cold'],
    cdrom: ['media_changed', 'cdrom_check_events'],
  },
});
const run = <D>(c: Check<D>, ...funcs: Parameters<typeof livepatch>[1][]) =>
  c.run(series(funcs.map((spec, i) => livepatch(`lp${i}`, spec)), k));

describe('ambiguous-symbol', () => {
  it('refuses old_sympos 0 for a name that occurs more than once, listing the candidates', () => {
    const [p, ...rest] = run(ambiguous, { funcs: ['type_show'] });
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'ambiguous-symbol', severity: 'error', file: 'lp0.c' });
    expect(p.message).toMatch(/`type_show` occurs 3 times in vmlinux .*klp_find_object_symbol\(\).*lp0 does not load; set old_sympos to 1\.\.3/);
    expect(p.data?.candidates).toEqual([
      { sympos: 1, address: '1000' },
      { sympos: 2, address: '3000' },
      { sympos: 3, address: '4000' },
    ]);
  });

  it('explains that a module object is refused when it loads', () => {
    const ctx = series([livepatch('lp', { funcs: [{ name: 'x', object: 'm' }] })], kernel({ symbols: { m: ['x', 'x'] } }));
    expect(ambiguous.run(ctx)[0].message).toMatch(/loading m later is refused/);
  });

  it('only informs for a diff (the build tools compute the position)', () => {
    const [p] = run(ambiguous, { kind: 'diff', funcs: ['type_show'] });
    expect(p.severity).toBe('information');
    expect(p.message).toMatch(/build tools pick its position/);
  });

  it('is silent with a position, for a unique name, and when the table is unknown', () => {
    expect(run(ambiguous, { funcs: [{ name: 'type_show', sympos: 2 }, 'cmdline_proc_show', { name: 'type_show', object: 'nfsd' }] })).toEqual([]);
  });
});

describe('sympos-not-found', () => {
  it('refuses a position beyond the occurrences, at the old_sympos', () => {
    const lp = livepatch('lp', { funcs: [{ name: 'type_show', sympos: 4 }, { name: 'media_changed', object: 'cdrom', sympos: 2 }] });
    const [p, q] = symposNotFound.run(series([lp], k));
    expect(p).toMatchObject({ code: 'sympos-not-found', severity: 'error', range: lp.objects[0].funcs[0].symposLocation?.range });
    expect(p.message).toMatch(/old_sympos 4 for `type_show`, but vmlinux has only 3 occurrences/);
    expect(q.message).toMatch(/cdrom has only 1 occurrence of it/);
  });

  it('is silent within range and for an unknown name (unknown-symbol says it)', () => {
    expect(run(symposNotFound, { funcs: [{ name: 'type_show', sympos: 3 }, { name: 'cmdline_proc_show', sympos: 1 }, { name: 'nope', sympos: 2 }] })).toEqual([]);
  });
});

describe('unknown-symbol', () => {
  it('names the compiler clones the table has', () => {
    const [p, ...rest] = run(unknown, { funcs: ['update_curr'] });
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'unknown-symbol', severity: 'error', data: { clones: ['update_curr.cold', 'update_curr.isra.0'] } });
    expect(p.message).toMatch(/`update_curr` is not in the symbol table of vmlinux .*klp_find_object_symbol\(\).*`update_curr\.cold`, `update_curr\.isra\.0`/);
  });

  it('suggests inlining when there is no clone', () => {
    const [p] = run(unknown, { funcs: [{ name: 'cdrom_open', object: 'cdrom' }] });
    expect(p.message).toMatch(/cdrom .*inlined/);
  });

  it('only informs for a diff', () => {
    expect(run(unknown, { kind: 'diff', funcs: ['gone'] })[0].severity).toBe('information');
  });

  it('is silent for known names and unknown tables', () => {
    expect(run(unknown, { funcs: ['cmdline_proc_show', { name: 'anything', object: 'nfsd' }] })).toEqual([]);
  });

  it('keeps the problem of an unchanged klp_func from one analysis to the next, and not across livepatch kinds or names', () => {
    const lp = livepatch('lp0', { funcs: ['update_curr'] });
    const session = new Memo();
    const [first] = unknown.run(series([lp], k, session));
    expect(unknown.run(series([{ ...lp }], k, session))[0]).toBe(first);
    const renamed = unknown.run(series([{ ...lp, name: 'other' }], k, session))[0];
    expect(renamed).not.toBe(first);
    expect(renamed.message).toMatch(/other does not load/);
    expect(unknown.run(series([{ ...lp, kind: 'diff' }], k, session))[0].severity).toBe('information');
  });
});
