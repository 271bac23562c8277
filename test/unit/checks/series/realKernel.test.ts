// The symbol checks on the real Debian 6.1.0-56 Module.symvers and kallsyms, read minimally here
// (the project's own readers are tested elsewhere).
import * as path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { readKernelFile } from '../../../../server/src/kernel/compressed';
import { check as ambiguous } from '../../../../server/src/checks/ambiguous-symbol';
import { check as exportedDependency } from '../../../../server/src/checks/exported-symbol-dependency';
import { moduleNameOf, type KernelContext } from '../../../../server/src/kernel/types';
import { kernel, livepatch, series, type SymbolSpec } from '../../../helpers/builders';
import { DEBIAN_KERNEL, describeShared } from '../../../helpers/shared';

const xz = async (file: string) => (await readKernelFile(path.join(DEBIAN_KERNEL, file))).toString('utf8');

describeShared('series checks on the Debian 6.1.0-56 kernel', () => {
  let k: KernelContext;
  beforeAll(async () => {
    // Module.symvers: crc, symbol, path, export type, namespace.
    const exports = Object.fromEntries(
      (await xz('Module.symvers.xz'))
        .split('\n')
        .map((line) => line.split('\t'))
        .filter((cols) => cols.length >= 4)
        .map(([, symbol, file]) => [symbol, file === 'vmlinux' ? 'vmlinux' : moduleNameOf(file)]),
    );
    // kallsyms: address, type, name, and [module] for module symbols (none in this file's vmlinux part).
    const vmlinux: SymbolSpec[] = (await xz('kallsyms.xz'))
      .split('\n')
      .map((line) => line.split(/\s+/))
      .filter((cols) => cols.length === 3)
      .map(([address, , name]) => [name, address]);
    k = kernel({ exports, symbols: { vmlinux } });
  });

  it('names .klp.sym.cdrom.cdrom_check_events,0 for a cdrom livepatch that calls cdrom_check_events', () => {
    const lp = livepatch('livepatch_cdrom', { funcs: [{ name: 'media_changed', object: 'cdrom' }], references: ['cdrom_check_events', '_printk'] });
    const problems = exportedDependency.run(series([lp], k));
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/exported by module cdrom/);
    expect(problems[0].message).toMatch(/patches that module/);
    expect(problems[0].message).toContain('`.klp.sym.cdrom.cdrom_check_events,0`');
    expect(problems[0].data?.klpSymbol).toBe('.klp.sym.cdrom.cdrom_check_events,0');
  });

  it('finds the 17 positions of type_show in vmlinux', () => {
    const problems = ambiguous.run(series([livepatch('lp', { funcs: ['type_show', 'cmdline_proc_show'] })], k));
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/`type_show` occurs 17 times in vmlinux/);
    const candidates = problems[0].data?.candidates as Array<{ sympos: number; address: string }>;
    expect(candidates.map((c) => c.sympos)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(candidates[0].address).toBe('ffffffff81039ea0');
  });
});
