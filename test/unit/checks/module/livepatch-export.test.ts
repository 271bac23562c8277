import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/livepatch-export';
import { context, moduleFixture, textAt } from './moduleFixtures';

const ID = 'livepatch-export';

describe('livepatch-export', () => {
  it('reports the export of a livepatch module (case C) and the livepatch that uses it (case D)', async () => {
    const main = await moduleFixture(ID, 'lp-main.c');
    const user = await moduleFixture(ID, 'lp-user.c');
    const problems = check.run(context([main, user]));
    expect(problems.map((p) => [p.file, textAt(ID, p.file.endsWith('lp-main.c') ? 'lp-main.c' : 'lp-user.c', p.range), p.severity])).toEqual([
      [main.file, 'EXPORT_SYMBOL_GPL(lp_shared_callback);', 'warning'],
      [user.file, 'lp_shared_callback', 'warning'],
    ]);
    expect(problems[0].message).toBe(
      'livepatch module lp_main exports `lp_shared_callback` (EXPORT_SYMBOL_GPL): any module that uses it gets `depends: lp_main`, ' +
        'so loading that module loads lp_main and enables its patch as a side effect, and lp_main cannot be unloaded while that module ' +
        'is loaded, even after it is disabled or replaced. In this series lp_user uses it. Share state through shadow variables or keep ' +
        'the code in each livepatch instead',
    );
    expect(problems[0].related).toEqual([{ location: user.references.find((r) => r.name === 'lp_shared_callback')!.location, message: 'lp_user uses `lp_shared_callback` here' }]);
    expect(problems[1].message).toBe(
      '`lp_shared_callback` is exported by the livepatch module lp_main: lp_user depends on it (modpost writes `depends: lp_main`), ' +
        'so loading lp_user loads lp_main and enables its patch, and lp_main cannot be unloaded while lp_user is loaded, even after it ' +
        'is disabled or replaced. Livepatch modules should depend on each other at most as the modules they patch do',
    );
    // Both functions of lp_user call it: the first is the place, the second related.
    expect(problems[1].related?.map((r) => r.message)).toEqual(['lp_main exports `lp_shared_callback` here', '`lp_shared_callback` is also used here']);
    expect(problems[1].data).toEqual({ symbol: 'lp_shared_callback', exporter: 'lp_main' });
  });

  it('says when the user loads before the exporter', async () => {
    const main = await moduleFixture(ID, 'lp-main.c');
    const user = await moduleFixture(ID, 'lp-user.c');
    const use = check.run(context([user, main])).find((p) => p.file === user.file)!;
    expect(use.message).toContain(
      'lp_main comes after lp_user in this series: insmod of lp_user fails on the unknown symbol `lp_shared_callback`, and modprobe loads lp_main first.',
    );
  });

  it('takes a C file without livepatch structures or modinfo for some other module, not an exporting livepatch', async () => {
    const main = await moduleFixture(ID, 'lp-main.c');
    const user = await moduleFixture(ID, 'lp-user.c');
    const plainModule = { ...main, livepatchModinfo: false, objects: [] };
    expect(check.run(context([plainModule, user]))).toEqual([]);
  });

  it('is silent for a self-contained livepatch, and for a use through a klp symbol', async () => {
    const main = await moduleFixture(ID, 'lp-main.c');
    const user = await moduleFixture(ID, 'lp-user.c');
    const alone = await moduleFixture(ID, 'lp-self-contained.c');
    expect(check.run(context([alone]))).toEqual([]);
    const throughKlp = { ...user, klpSymbols: [{ name: 'lp_shared_callback', object: 'lp_main', sympos: 0, spelling: 'asm-label' as const, location: user.location }] };
    expect(check.run(context([main, throughKlp])).map((p) => p.file)).toEqual([main.file]);
  });
});
