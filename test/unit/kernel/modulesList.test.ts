import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBuiltinModinfo, parseModuleList } from '../../../server/src/kernel/modulesList';
import { fixturePath, readFixture } from '../../helpers/fixtures';

describe('parseModuleList', () => {
  it('reads modules.order paths and names them with - read as _', () => {
    expect(parseModuleList(readFixture('kernel', 'modules.order'))).toEqual([
      { name: 'cdrom', path: 'kernel/drivers/cdrom/cdrom.ko' },
      { name: 'sr_mod', path: 'kernel/drivers/scsi/sr_mod.ko' },
      { name: 'usb_storage', path: 'kernel/drivers/usb/storage/usb-storage.ko' },
    ]);
  });

  it('reads modules.builtin the same way', () => {
    expect(parseModuleList(readFixture('kernel', 'modules.builtin')).map((m) => m.name)).toEqual(['amd_uncore', 'zswap']);
  });
});

describe('parseBuiltinModinfo', () => {
  const modules = parseBuiltinModinfo(readFileSync(fixturePath('kernel', 'modules.builtin.modinfo')));

  it('groups the module.key=value strings by module, in order', () => {
    expect(modules.get('amd_uncore')).toEqual([
      ['license', 'GPL v2'],
      ['file', 'arch/x86/events/amd/amd-uncore'],
    ]);
    expect(modules.get('printk')).toEqual([['parm', 'time:Show timing information on printks']]);
  });

  it('skips strings that are not module.key=value', () => {
    expect([...modules.keys()]).toEqual(['amd_uncore', 'printk', 'zswap']);
  });
});
