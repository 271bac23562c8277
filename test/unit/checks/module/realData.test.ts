// The module checks on real modules: the corpus, and the real Debian 6.1.0-56-amd64 kernel (../shared).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { check as livepatchExport } from '../../../../server/src/checks/livepatch-export';
import { check as missingModinfo } from '../../../../server/src/checks/missing-livepatch-modinfo';
import { check as missingTerminator } from '../../../../server/src/checks/missing-terminator';
import { check as objectNamedVmlinux } from '../../../../server/src/checks/object-named-vmlinux';
import { check as unknownObject } from '../../../../server/src/checks/unknown-object';
import { emptyKernelContext } from '../../../../server/src/kernel/types';
import { loadKernelContext } from '../../../../server/src/kernel/context';
import type { KernelContext } from '../../../../server/src/kernel/types';
import type { Livepatch } from '../../../../server/src/model/livepatch';
import { livepatchFromModule } from '../../../../server/src/model/fromModule';
import { CParser } from '../../../../server/src/syntax/treeSitter';
import { CORPUS, DEBIAN_KERNEL, describeShared } from '../../../helpers/shared';
import { context } from './moduleFixtures';

let parser: CParser;
let kernel: KernelContext;

function read(file: string): Livepatch {
  return livepatchFromModule(parser, readFileSync(file, 'utf8'), file, { name: path.basename(file, '.c').replace(/-/g, '_') });
}

function hasBash(): boolean {
  try {
    execFileSync('bash', ['-c', 'true']);
    return true;
  } catch {
    return false;
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : full.endsWith('.c') ? [full] : [];
  });
}

describeShared('the module checks on every C file of the corpus', () => {
  beforeAll(async () => {
    parser = await CParser.create();
  });

  it('find nothing wrong in the kernel\'s, SUSE\'s and the public livepatches, read as one series', () => {
    const all = filesUnder(CORPUS).map(read);
    expect(all.filter((lp) => lp.objects.length > 0).length).toBeGreaterThan(20);
    const ctx = context(all, emptyKernelContext());
    for (const check of [missingModinfo, missingTerminator, objectNamedVmlinux, livepatchExport]) expect(check.run(ctx), check.id).toEqual([]);
  });
});

describeShared('unknown-object against the Debian 6.1.0-56-amd64 module list', () => {
  beforeAll(async () => {
    parser = await CParser.create();
    kernel = await loadKernelContext({ kernel: DEBIAN_KERNEL });
  });

  it('is silent for a livepatch of a real module (nf_tables)', () => {
    const lp = read(path.join(CORPUS, 'github/hackman__kernel-livepatches/nft-catchall-fix-livepatch.c'));
    expect(unknownObject.run(context([lp], kernel))).toEqual([]);
  });

  it('warns about the selftest target modules, which Debian does not ship', () => {
    const lp = read(path.join(CORPUS, 'linux-6.1/lib/livepatch/test_klp_callbacks_demo.c'));
    const problems = unknownObject.run(context([lp], kernel));
    expect(problems.map((p) => [p.severity, p.data?.object])).toEqual([
      ['warning', 'test_klp_callbacks_mod'],
      ['warning', 'test_klp_callbacks_busy'],
    ]);
  });

  it.skipIf(!hasBash())('finds the path SUSE wrote for bluetooth in bsc1235008 (hci_conn_del_sysfs would stay unpatched)', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'klp-lens-suse-'));
    try {
      cpSync(path.join(CORPUS, 'github/SUSE__kernel-livepatch/SLE15-SP6_Update_0'), work, { recursive: true });
      writeFileSync(path.join(work, 'empty.spec'), '');
      execFileSync('bash', ['scripts/register-patches.sh', 'livepatch_main.c', 'empty.spec'], { cwd: work, stdio: 'ignore' });
      const lp = read(path.join(work, 'livepatch_main.c'));
      const bluetooth = unknownObject.run(context([lp], kernel)).find((p) => p.data?.object === 'net/bluetooth/bluetooth');
      expect(bluetooth).toMatchObject({ severity: 'error', data: { suggestion: 'bluetooth' } });
      expect(bluetooth?.message).toMatch(/^"net\/bluetooth\/bluetooth" cannot be a module name .* Did you mean "bluetooth"\?$/);
      expect(bluetooth?.related?.[0].message).toBe('hci_conn_del_sysfs would stay unpatched');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
