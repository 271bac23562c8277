// The readers on the real artifacts of Debian's 6.1.0-56-amd64 kernel (../shared).
import * as path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { readKernelFile } from '../../../server/src/kernel/compressed';
import { loadKernelContext } from '../../../server/src/kernel/context';
import { parseKallsyms, type KallsymsIndex } from '../../../server/src/kernel/kallsyms';
import { readModuleFile, type ModuleFile } from '../../../server/src/kernel/modinfo';
import { parseSymvers, type SymversIndex } from '../../../server/src/kernel/symvers';
import type { ObjectSymbols } from '../../../server/src/kernel/types';
import { DEBIAN_KERNEL, describeShared } from '../../helpers/shared';

const MODULES: Record<string, string> = {
  bluetooth: 'net/bluetooth/bluetooth.ko.xz',
  cdrom: 'drivers/cdrom/cdrom.ko.xz',
  ip_tables: 'net/ipv4/netfilter/ip_tables.ko.xz',
  isofs: 'fs/isofs/isofs.ko.xz',
  joydev: 'drivers/input/joydev.ko.xz',
  nf_tables: 'net/netfilter/nf_tables.ko.xz',
  sr_mod: 'drivers/scsi/sr_mod.ko.xz',
  vmw_vsock_vmci_transport: 'net/vmw_vsock/vmw_vsock_vmci_transport.ko.xz',
  x_tables: 'net/netfilter/x_tables.ko.xz',
};

const text = async (name: string) => (await readKernelFile(path.join(DEBIAN_KERNEL, name))).toString('latin1');

/** Names that occur more than once in a walk and are functions, with their counts. */
function duplicatedFunctions(symbols: ObjectSymbols | undefined): Record<string, number> {
  const found: Record<string, number> = {};
  for (const [name, entries] of symbols?.byName ?? []) {
    if (entries.length > 1 && entries.some((e) => e.type === 'FUNC')) found[name] = entries.length;
  }
  return found;
}

describeShared('Debian 6.1.0-56-amd64 Module.symvers and kallsyms', () => {
  let symvers: SymversIndex;
  let kallsyms: KallsymsIndex;
  let systemMap: KallsymsIndex;
  beforeAll(async () => {
    symvers = parseSymvers(await text('Module.symvers.xz'), 'Module.symvers');
    kallsyms = parseKallsyms(await text('kallsyms.xz'), 'kallsyms', 'kallsyms');
    systemMap = parseKallsyms(await text('System.map.xz'), 'System.map', 'system-map');
  });

  it('reads all 24,683 exports without a problem', () => {
    expect(symvers.exports.size).toBe(24683);
    expect(symvers.problems).toEqual([]);
  });

  it('knows cdrom_check_events as an EXPORT_SYMBOL of cdrom', () => {
    expect(symvers.exports.get('cdrom_check_events')).toMatchObject({ object: 'cdrom', path: 'drivers/cdrom/cdrom', exportType: 'EXPORT_SYMBOL', namespace: '' });
  });

  it('reads the 94,266 vmlinux symbols of kallsyms; type_show is at 17 positions', () => {
    expect(kallsyms.vmlinux.count).toBe(94266);
    expect(kallsyms.problems).toEqual([]);
    expect(kallsyms.modules.size).toBe(0);
    expect(kallsyms.vmlinux.byName.get('type_show')).toHaveLength(17);
  });

  it('reads System.map to the same walk as kallsyms: same count, and for every name the same addresses in the same order', () => {
    expect(systemMap.problems).toEqual([]);
    expect(systemMap.vmlinux.count).toBe(kallsyms.vmlinux.count);
    expect(systemMap.vmlinux.byName.size).toBe(kallsyms.vmlinux.byName.size);
    const differing = [...kallsyms.vmlinux.byName].filter(([name, entries]) => {
      const other = systemMap.vmlinux.byName.get(name);
      return other?.map((e) => e.address).join() !== entries.map((e) => e.address).join();
    });
    expect(differing).toEqual([]);
  });
});

describeShared('Debian 6.1.0-56-amd64 modules', () => {
  const modules = new Map<string, ModuleFile>();
  beforeAll(async () => {
    for (const [name, file] of Object.entries(MODULES)) modules.set(name, await readModuleFile(path.join(DEBIAN_KERNEL, 'modules', file)));
  });

  it('reads every module without a problem, named by .modinfo', () => {
    for (const [name, module] of modules) {
      expect(module.problems).toEqual([]);
      expect(module.name).toBe(name);
    }
  });

  it('walks as many symbols as the kernel keeps (readelf -sW, core symbols without section symbols)', () => {
    const counts = Object.fromEntries([...modules].map(([name, m]) => [name, m.symbols?.count]));
    expect(counts).toEqual({ bluetooth: 3635, cdrom: 316, ip_tables: 66, isofs: 84, joydev: 32, nf_tables: 865, sr_mod: 61, vmw_vsock_vmci_transport: 111, x_tables: 351 });
  });

  it('finds the static function defined twice in bluetooth.ko', () => {
    expect(duplicatedFunctions(modules.get('bluetooth')?.symbols)).toEqual({ cancel_interleave_scan: 2 });
  });

  it('finds the 19 functions defined twice in vmw_vsock_vmci_transport.ko', () => {
    const twice = [
      'vmci_transport_notify_pkt_handle_pkt',
      'vmci_transport_notify_pkt_poll_in',
      'vmci_transport_notify_pkt_poll_out',
      'vmci_transport_notify_pkt_process_negotiate',
      'vmci_transport_notify_pkt_process_request',
      'vmci_transport_notify_pkt_recv_init',
      'vmci_transport_notify_pkt_recv_post_dequeue',
      'vmci_transport_notify_pkt_recv_pre_block',
      'vmci_transport_notify_pkt_recv_pre_dequeue',
      'vmci_transport_notify_pkt_send_init',
      'vmci_transport_notify_pkt_send_post_enqueue',
      'vmci_transport_notify_pkt_send_post_enqueue.cold',
      'vmci_transport_notify_pkt_send_pre_block',
      'vmci_transport_notify_pkt_send_pre_enqueue',
      'vmci_transport_notify_pkt_socket_destruct',
      'vmci_transport_notify_pkt_socket_init',
      'vmci_transport_notify_waiting_write',
      'vmci_transport_send_read_notification.part.0',
      'vmci_transport_send_read_notification.part.0.cold',
    ];
    expect(duplicatedFunctions(modules.get('vmw_vsock_vmci_transport')?.symbols)).toEqual(Object.fromEntries(twice.map((n) => [n, 2])));
  });

  it('finds jhash twice in nf_tables.ko', () => {
    expect(duplicatedFunctions(modules.get('nf_tables')?.symbols)).toEqual({ jhash: 2 });
  });

  it('does not walk init code nor .modinfo strings', () => {
    const cdrom = modules.get('cdrom')?.symbols;
    expect(cdrom?.byName.has('cdrom_init')).toBe(false);
    expect([...(cdrom?.byName.keys() ?? [])].some((n) => n.startsWith('__UNIQUE_ID_depends'))).toBe(false);
    expect(cdrom?.byName.get('cdrom_check_events')).toHaveLength(1);
  });

  it('reads the modinfo of cdrom.ko and sr_mod.ko', () => {
    expect(modules.get('cdrom')?.modinfo).toMatchObject({ name: 'cdrom', depends: [], livepatch: false, vermagic: '6.1.0-56-amd64 SMP preempt mod_unload modversions ' });
    expect(modules.get('sr_mod')?.modinfo.depends).toContain('cdrom');
  });
});

describeShared('loadKernelContext on the Debian folder', () => {
  it('finds every piece, the nine modules and all module names', async () => {
    const context = await loadKernelContext({ kernel: DEBIAN_KERNEL });
    expect(context.problems).toEqual([]);
    expect(context.has).toEqual({ symvers: true, vmlinuxSymbols: true, moduleList: true, config: true, source: false });
    expect(context.release).toBe('6.1.0-56-amd64');
    expect(context.exports.size).toBe(24683);
    expect(context.objects.get('vmlinux')).toMatchObject({ source: 'kallsyms', count: 94266 });
    expect([...context.objects.keys()].sort()).toEqual(['vmlinux', ...Object.keys(MODULES)].sort());
    expect(context.modules.size).toBe(4023 + 186);
    expect([...context.modules.values()].filter((m) => m.builtin)).toHaveLength(186);
    expect(context.modules.get('sr_mod')).toMatchObject({ path: 'drivers/scsi/sr_mod.ko.xz', builtin: false });
    expect(context.config?.get('CONFIG_LIVEPATCH')).toBe('y');
  });
});
