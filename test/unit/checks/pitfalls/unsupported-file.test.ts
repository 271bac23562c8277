import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/unsupported-file';
import { contextOf, diffLivepatch, fixtureContext } from './pitfallContext';

const change = (file: string) => `--- a/${file}\n+++ b/${file}\n@@ -1,1 +1,1 @@\n-a\n+b\n`;

describe('unsupported-file', () => {
  it('refuses lib/ and assembly at each file header, naming both tools', () => {
    const problems = check.run(fixtureContext('unsupported-file', 'bad.patch'));
    expect(problems.map((p) => [p.severity, p.range.start.line, p.data])).toEqual([
      ['error', 0, { file: 'lib/string.c', refusedBy: ['kpatch-build', 'klp-build'] }],
      ['error', 11, { file: 'arch/x86/entry/entry_64.S', refusedBy: ['kpatch-build', 'klp-build'] }],
    ]);
    expect(problems[0].message).toMatch(/^kpatch-build and klp-build refuse a patch to lib\/string.c: /);
  });

  it("refuses the vDSO and real-mode code as klp-build does, and nothing else", () => {
    const refused = (file: string) => check.run(contextOf([diffLivepatch(change(file), 'p.patch')])).map((p) => p.data?.refusedBy);
    expect(refused('arch/x86/entry/vdso/vclock_gettime.c')).toEqual([['klp-build']]);
    expect(refused('arch/x86/realmode/rm/wakeup_asm.c')).toEqual([['klp-build']]);
    expect(refused('fs/proc/cmdline.c')).toEqual([]);
    expect(refused('drivers/lib/x.c')).toEqual([]);
    expect(check.run(fixtureContext('unsupported-file', 'good.patch'))).toEqual([]);
  });
});
