import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { nodeFileSource } from '../../../server/src/common/fileSource';
import { livepatchFromCsv } from '../../../server/src/model/fromCsv';
import { functionsOf } from '../../../server/src/model/livepatch';
import { planSeries } from '../../../server/src/model/plan';
import { parsePatchedFuncsCsv } from '../../../server/src/syntax/patchedFuncsCsv';
import { describeShared, sharedPath } from '../../helpers/shared';

describeShared('SUSE kernel-livepatch (real patched_funcs.csv files)', () => {
  const root = sharedPath('corpus/github/SUSE__kernel-livepatch');
  const update0 = path.join(root, 'SLE15-SP6_Update_0');
  const csvFiles = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => path.basename(f) === 'patched_funcs.csv')
    .map((f) => path.join(root, f))
    .sort();

  it('parses every csv with no problems, one row per non-blank line', () => {
    expect(csvFiles).toHaveLength(49);
    let total = 0;
    for (const file of csvFiles) {
      const text = readFileSync(file, 'utf8');
      const csv = parsePatchedFuncsCsv(text, file);
      expect(csv.problems, file).toEqual([]);
      // Counted apart from the parser: lines holding anything but blanks.
      const lines = text.split('\n').filter((l) => l.trim() !== '').length;
      expect(csv.rows, file).toHaveLength(lines);
      // Every row rebuilds its line: obj, old_func[,sympos], new_func and cond, blank-separated.
      for (const row of csv.rows) {
        const line = text.split('\n')[row.location.range.start.line].trim().split(/\s+/);
        expect([row.object, row.oldFunc, row.newFunc, ...(row.condition?.split(/\s+/) ?? [])]).toEqual(line);
      }
      total += csv.rows.length;
    }
    expect(total).toBe(67);
  });

  it('reads conditions and several objects as SUSE writes them', () => {
    const file = path.join(update0, 'bsc1225310/patched_funcs.csv');
    const lp = livepatchFromCsv(parsePatchedFuncsCsv(readFileSync(file, 'utf8'), file));
    expect([lp.name, lp.replace, lp.kind]).toEqual(['bsc1225310', true, 'csv']);
    expect(functionsOf(lp).map((f) => [f.object, f.name, f.newFunc, f.condition])).toEqual([
      ['vmlinux', 'drm_client_modeset_probe', 'klpp_drm_client_modeset_probe', 'defined(CONFIG_X86_64) || defined(CONFIG_PPC64)'],
      ['drm', 'drm_client_modeset_probe', 'klpp_drm_client_modeset_probe', 'defined(CONFIG_S390)'],
    ]);
  });

  it('keeps an object name as written even when it is a path (bsc1235008)', () => {
    const file = path.join(update0, 'bsc1235008/patched_funcs.csv');
    const lp = livepatchFromCsv(parsePatchedFuncsCsv(readFileSync(file, 'utf8'), file));
    expect(lp.objects.map((o) => o.declaredName)).toEqual(['net/bluetooth/bluetooth']);
  });

  it('plans SLE15-SP6_Update_0 as one cumulative livepatch made of every sub-patch, in directory order', () => {
    const plan = planSeries([update0], undefined, nodeFileSource());
    expect(plan.problems).toEqual([]);
    expect(plan.series).toBeUndefined();
    const csvDirs = csvFiles.filter((f) => f.startsWith(update0 + path.sep)).map((f) => path.basename(path.dirname(f)));
    expect(plan.items.map((i) => i.kind === 'patch' && [i.livepatchKind, i.name, i.suse?.parts.map((p) => p.name)])).toEqual([['csv', 'SLE15_SP6_Update_0', csvDirs]]);
    expect(csvDirs).toHaveLength(49);
  });
});
