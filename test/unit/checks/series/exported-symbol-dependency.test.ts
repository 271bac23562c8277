import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/exported-symbol-dependency';
import { Memo } from '../../../../server/src/common/memo';
import { kernel, livepatch, series } from '../../../helpers/builders';
import { countingProperties } from '../../../helpers/scaling';

const k = kernel({ exports: { cdrom_check_events: 'cdrom', register_cdrom: 'cdrom', _printk: 'vmlinux', sr_do_ioctl: 'sr_mod' } });

describe('exported-symbol-dependency', () => {
  it('warns about a module export used by a patch of that module, with the klp symbol for the fix', () => {
    const lp = livepatch('lp', {
      funcs: [{ name: 'media_changed', object: 'cdrom' }],
      references: ['_printk', 'cdrom_check_events', 'cdrom_check_events'],
    });
    const [p, ...rest] = check.run(series([lp], k));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'exported-symbol-dependency', severity: 'warning', file: 'lp.c', range: lp.references[1].location.range });
    expect(p.message).toMatch(/`cdrom_check_events` is exported by module cdrom .*`depends: cdrom`.*late module patching/);
    expect(p.message).toMatch(/Worse, lp patches that module/);
    expect(p.message).toMatch(/klp symbol `\.klp\.sym\.cdrom\.cdrom_check_events,0`/);
    expect(p.data).toEqual({ symbol: 'cdrom_check_events', object: 'cdrom', sympos: 0, klpSymbol: '.klp.sym.cdrom.cdrom_check_events,0' });
    expect(p.related).toEqual([
      { location: lp.objects[0].location, message: 'lp patches cdrom here' },
      { location: lp.references[2].location, message: '`cdrom_check_events` is also referenced here' },
    ]);
  });

  it('does not say "worse" for a module the livepatch does not patch', () => {
    const lp = livepatch('lp', { funcs: ['cmdline_proc_show'], references: ['sr_do_ioctl'] });
    const [p] = check.run(series([lp], k));
    expect(p.message).toMatch(/module sr_mod/);
    expect(p.message).not.toMatch(/Worse/);
  });

  it('informs for a diff, naming the klp symbol the build tools use', () => {
    const lp = livepatch('cdrom_fix', { kind: 'diff', funcs: [{ name: 'media_changed', object: 'cdrom' }], references: ['cdrom_check_events'] });
    const [p] = check.run(series([lp], k));
    expect(p.severity).toBe('information');
    expect(p.message).toMatch(/turn this reference into the klp symbol `\.klp\.sym\.cdrom\.cdrom_check_events,0`/);
  });

  it('is silent for vmlinux exports, declared klp symbols (by name or local name) and the patch\'s own functions', () => {
    const lp = livepatch('lp', {
      funcs: [{ name: 'media_changed', object: 'cdrom', newFunc: 'register_cdrom' }],
      references: ['_printk', 'cdrom_check_events', 'klp_sr_do_ioctl', 'register_cdrom', 'not_exported'],
      klpSymbols: [
        { name: 'cdrom_check_events', object: 'cdrom' },
        { name: 'sr_do_ioctl', object: 'sr_mod', localName: 'klp_sr_do_ioctl' },
      ],
    });
    expect(check.run(series([lp], k))).toEqual([]);
  });
});

describe('exported-symbol-dependency at an edit', () => {
  it("reads the places of the references the edit made, not every reference's again", () => {
    /** Reads of the references' places when a livepatch referencing an export `count` times is read again, its references kept. */
    const reads = (count: number) => {
      const read = { count: 0 };
      const memo = new Memo();
      const lp = livepatch('lp', { funcs: ['cmdline_proc_show'], references: Array(count).fill('sr_do_ioctl') });
      const refs = lp.references.map((r) => countingProperties(r, ['location'], read));
      expect(check.run(series([{ ...lp, references: refs }], k, memo))[0].related).toHaveLength(count - 1);
      read.count = 0;
      expect(check.run(series([{ ...lp, references: [...refs] }], k, memo))[0].related).toHaveLength(count - 1);
      return read.count;
    };
    expect(reads(40)).toBe(reads(10));
  });
});
