import { describe, expect, it } from 'vitest';
import { makeRange } from '../../../server/src/common/range';
import { CSV_REPLACE, csvLivepatchName, livepatchFromCsv } from '../../../server/src/model/fromCsv';
import { functionsOf } from '../../../server/src/model/livepatch';
import { parsePatchedFuncsCsv } from '../../../server/src/syntax/patchedFuncsCsv';
import { fixturePath, readFixture } from '../../helpers/fixtures';

const at = (line: number, start: number, end: number) => makeRange(line, start, line, end);

describe('parsePatchedFuncsCsv', () => {
  const file = fixturePath('series/csv/basic/patched_funcs.csv');
  const csv = parsePatchedFuncsCsv(readFixture('series/csv/basic/patched_funcs.csv'), file);

  it('reads every row, skipping blank and # lines', () => {
    expect(csv.problems).toEqual([]);
    expect(csv.rows.map((r) => [r.object, r.oldFunc, r.sympos, r.newFunc, r.condition])).toEqual([
      ['vmlinux', 'unix_gc', 0, 'klpp_unix_gc', undefined],
      ['bluetooth', 'sco_sock_timeout', 0, 'klpp_sco_sock_timeout', 'IS_ENABLED(CONFIG_BT)'],
      ['vmlinux', 'drm_client_modeset_probe', 2, 'klpp_drm_client_modeset_probe', 'defined(CONFIG_X86_64) ||  defined(CONFIG_PPC64)'],
      ['cifs', 'smb2_foo', 3, 'klpp_smb2_foo', undefined],
      ['bluetooth', 'l2cap_sock_release', 0, 'klpp_l2cap_sock_release', 'IS_ENABLED(CONFIG_BT)'],
      ['net/bluetooth/bluetooth', 'hci_conn_del_sysfs', 0, 'klpp_hci_conn_del_sysfs', undefined],
    ]);
  });

  it('locates every column', () => {
    const [plain, withCond, withSympos, tabs] = csv.rows;
    expect(plain.location).toEqual({ file, range: at(0, 0, 28) });
    expect([plain.objectLocation.range, plain.oldFuncLocation.range, plain.newFuncLocation.range]).toEqual([
      at(0, 0, 7),
      at(0, 8, 15),
      at(0, 16, 28),
    ]);
    expect(plain.symposLocation).toBeUndefined();
    expect(plain.conditionLocation).toBeUndefined();
    expect(withCond.conditionLocation?.range).toEqual(at(2, 49, 70));
    expect(withSympos.oldFuncLocation.range).toEqual(at(4, 8, 32));
    expect(withSympos.symposLocation?.range).toEqual(at(4, 33, 34));
    expect(withSympos.conditionLocation?.range).toEqual(at(4, 65, 113));
    // Tabs separate fields; trailing blanks are not part of the row.
    expect(tabs.location.range).toEqual(at(5, 0, 31));
    expect(tabs.symposLocation?.range).toEqual(at(5, 14, 17));
    expect(tabs.newFuncLocation.range).toEqual(at(5, 18, 31));
  });

  it('reports malformed lines as parse errors at their columns and keeps the good ones', () => {
    const bad = parsePatchedFuncsCsv(readFixture('series/csv/errors/patched_funcs.csv'), 'p.csv');
    expect(bad.rows.map((r) => r.oldFunc)).toEqual(['ok']);
    expect(bad.rows[0].location.range.start.line).toBe(7);
    expect(bad.problems.every((p) => p.code === 'parse-error' && p.severity === 'error' && p.file === 'p.csv')).toBe(true);
    expect(bad.problems.map((p) => [p.range, p.message])).toEqual([
      [at(0, 0, 16), expect.stringContaining('new_func is missing')],
      [at(1, 0, 7), expect.stringContaining('old_func is missing')],
      [at(2, 12, 13), "sympos 'x' is not a number"],
      [at(3, 8, 10), 'old_func is empty'],
      [at(4, 11, 12), "sympos '' is not a number"],
      [at(5, 12, 15), "sympos '007' is not a number"],
      [at(6, 12, 32), "sympos '99999999999999999999' is not a number"],
    ]);
  });
});

describe('livepatchFromCsv', () => {
  const file = fixturePath('series/csv/basic/patched_funcs.csv');
  const lp = livepatchFromCsv(parsePatchedFuncsCsv(readFixture('series/csv/basic/patched_funcs.csv'), file));

  it('is a replace livepatch named after its directory by default', () => {
    expect(CSV_REPLACE).toBe(true);
    expect([lp.kind, lp.name, lp.replace, lp.file]).toEqual(['csv', 'basic', true, file]);
    expect(lp.location.range).toEqual(at(0, 0, 28));
    expect(csvLivepatchName('/x/bsc-1234/patched_funcs.csv')).toBe('bsc_1234');
  });

  it('takes name and replace from the options', () => {
    const named = livepatchFromCsv(parsePatchedFuncsCsv('vmlinux a b\n', 'x.csv'), { name: 'lp', replace: false });
    expect([named.name, named.replace]).toEqual(['lp', false]);
  });

  it('groups functions by object: vmlinux first, the others sorted, rows in order', () => {
    expect(lp.objects.map((o) => [o.object, o.declaredName, o.funcs.map((f) => f.name)])).toEqual([
      ['vmlinux', null, ['unix_gc', 'drm_client_modeset_probe']],
      ['bluetooth', 'bluetooth', ['sco_sock_timeout', 'l2cap_sock_release']],
      ['cifs', 'cifs', ['smb2_foo']],
      ['net/bluetooth/bluetooth', 'net/bluetooth/bluetooth', ['hci_conn_del_sysfs']],
    ]);
    expect(lp.objects.every((o) => o.hasFuncs && o.callbacks.length === 0 && o.funcsTerminated === undefined)).toBe(true);
    expect(lp.objects[0].nameLocation).toBeUndefined();
    expect(lp.objects[1].nameLocation?.range).toEqual(at(2, 0, 9));
    expect(lp.objects[1].location.range.start.line).toBe(2);
  });

  it('keeps sympos, new_func, the condition and the locations on each function', () => {
    const drm = functionsOf(lp).find((f) => f.name === 'drm_client_modeset_probe');
    expect(drm).toMatchObject({
      object: 'vmlinux',
      sympos: 2,
      newFunc: 'klpp_drm_client_modeset_probe',
      condition: 'defined(CONFIG_X86_64) ||  defined(CONFIG_PPC64)',
      nameLocation: { file, range: at(4, 8, 32) },
      symposLocation: { file, range: at(4, 33, 34) },
    });
    const gc = functionsOf(lp)[0];
    expect('condition' in gc || 'symposLocation' in gc).toBe(false);
  });

  it('carries the parse problems, and an empty csv places the livepatch at the file start', () => {
    const bad = livepatchFromCsv(parsePatchedFuncsCsv('vmlinux\n', 'p.csv'));
    expect(bad.problems).toHaveLength(1);
    expect(bad.objects).toEqual([]);
    expect(bad.location).toEqual({ file: 'p.csv', range: at(0, 0, 0) });
    expect([bad.states, bad.exports, bad.references, bad.klpSymbols]).toEqual([[], [], [], []]);
  });
});
