// The authoring-pitfall checks on real patches.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { check as initFunction } from '../../../../server/src/checks/init-function';
import { check as moduleJumpLabel } from '../../../../server/src/checks/module-jump-label';
import { check as onceMacro } from '../../../../server/src/checks/once-macro';
import { check as staticLocalChange } from '../../../../server/src/checks/static-local-change';
import { check as structLayoutChange } from '../../../../server/src/checks/struct-layout-change';
import { kernel } from '../../../helpers/builders';
import { CORPUS, describeShared } from '../../../helpers/shared';
import { contextOf, diffLivepatch, integrationPatches } from './pitfallContext';

const refusing = [initFunction, staticLocalChange, onceMacro, moduleJumpLabel];

describeShared('pitfall checks on real patches', () => {
  it('flag exactly kpatch\'s init -FAIL patches among its integration inputs (the only -FAIL ones of these kinds)', () => {
    const patches = integrationPatches(path.join(CORPUS, 'kpatch/test/integration'));
    const fails = patches.filter((p) => p.name.endsWith('-FAIL.patch')).map((p) => p.name);
    // The other -FAIL patches are about symbol versions and __LINE__ changes (warn-detect, symvers-disagreement).
    expect(new Set(fails.map((f) => path.basename(f)))).toEqual(
      new Set(['meminfo-init-FAIL.patch', 'meminfo-init2-FAIL.patch', 'warn-detect-FAIL.patch', 'symvers-disagreement-FAIL.patch']),
    );
    const flagged = patches.filter((p) => refusing.some((c) => c.run(contextOf([diffLivepatch(p.text, p.name)])).length > 0)).map((p) => p.name);
    expect(flagged.sort()).toEqual(fails.filter((f) => f.includes('meminfo-init')).sort());
    expect(flagged).toHaveLength(22);
  });

  it('accept kpatch\'s module test: its jump labels use a vmlinux key and a key the patch defines', () => {
    const k = kernel({ symbols: { vmlinux: ['memcg_kmem_enabled_key'], xfs: ['xfs_stats_format'] } });
    const text = readFileSync(path.join(CORPUS, 'kpatch/test/integration/linux-6.2.0/module.patch'), 'utf8');
    const lp = diffLivepatch(text, 'module.patch', k);
    expect(lp.objects.map((o) => o.object)).toEqual(['xfs']);
    expect(moduleJumpLabel.run(contextOf([lp], k))).toEqual([]);
  });

  it('see the struct members SUSE\'s livepatch diff adds and removes', () => {
    const file = 'github/SUSE__kernel-livepatch/SLE15-SP6-RT_Update_0/diff-vs-SLE15-SP6_Update_0.diff';
    const lp = diffLivepatch(readFileSync(path.join(CORPUS, file), 'utf8'), file);
    const structs = structLayoutChange.run(contextOf([lp])).map((p) => p.data?.struct);
    expect(new Set(structs)).toEqual(new Set(['struct cifs_ses', 'struct cifs_tcon', 'struct cifs_server_iface']));
  });

  it('find the __init change in the CVE-2019-11477 patch (tcp_init)', () => {
    const file = 'github/fengjian__kpatch-sack-panic/ubuntu-4.4.0-62-generic-CVE-2019-11477.patch';
    const lp = diffLivepatch(readFileSync(path.join(CORPUS, file), 'utf8'), file);
    expect(initFunction.run(contextOf([lp])).map((p) => p.data?.function)).toEqual(['tcp_init']);
  });
});
