import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { moduleFromBytes, parseModinfo, readModuleFile } from '../../../server/src/kernel/modinfo';
import type { ObjectSymbols } from '../../../server/src/kernel/types';
import { fixturePath } from '../../helpers/fixtures';

const bytes = (text: string) => Buffer.from(text, 'latin1');

/** The walk as [name, index] pairs in walk order. */
function walk(symbols: ObjectSymbols | undefined): string[] {
  const all = [...(symbols?.byName.values() ?? [])].flat().sort((a, b) => a.index - b.index);
  expect(all.map((e) => e.index)).toEqual(all.map((_, i) => i));
  return all.map((e) => e.name);
}

describe('parseModinfo', () => {
  it('reads name, depends, vermagic and every pair in order', () => {
    const info = parseModinfo(bytes('alias=a\0name=cdrom\0depends=\0alias=b\0vermagic=6.1.0-56-amd64 SMP \0\0'));
    expect(info).toEqual({
      name: 'cdrom',
      depends: [],
      vermagic: '6.1.0-56-amd64 SMP ',
      livepatch: false,
      entries: [
        ['alias', 'a'],
        ['name', 'cdrom'],
        ['depends', ''],
        ['alias', 'b'],
        ['vermagic', '6.1.0-56-amd64 SMP '],
      ],
    });
  });

  it('splits depends on commas', () => {
    expect(parseModinfo(bytes('depends=scsi_mod,cdrom,scsi_common\0')).depends).toEqual(['scsi_mod', 'cdrom', 'scsi_common']);
  });

  it('takes the first value of a repeated key, as get_modinfo() does', () => {
    expect(parseModinfo(bytes('name=first\0name=second\0')).name).toBe('first');
  });

  it('marks a livepatch module by the presence of the livepatch key (check_modinfo_livepatch)', () => {
    expect(parseModinfo(bytes('livepatch=Y\0')).livepatch).toBe(true);
    expect(parseModinfo(bytes('livepatch=\0')).livepatch).toBe(true);
    expect(parseModinfo(bytes('name=x\0')).livepatch).toBe(false);
  });

  it('ignores strings without a key', () => {
    expect(parseModinfo(bytes('garbage\0=value\0')).entries).toEqual([]);
  });
});

describe('the walk of a module (module_kallsyms_on_each_symbol)', () => {
  const tiny = moduleFromBytes(readFileSync(fixturePath('kernel', 'elf', 'tiny.ko')), 'tiny.ko');

  it('names the module from .modinfo and reads its modinfo', () => {
    expect(tiny.name).toBe('tiny');
    expect(tiny.modinfo.depends).toEqual(['cdrom', 'scsi_mod']);
    expect(tiny.modinfo.vermagic).toBe('6.1.0-test SMP mod_unload');
    expect(tiny.problems).toEqual([]);
  });

  it('keeps the core symbols in ELF order: not undefined, named, allocated, not init, not .modinfo or __versions', () => {
    expect(walk(tiny.symbols)).toEqual(['helper', 'table', 'helper', 'state_b', 'tiny_weak', 'tiny_counter', 'tiny_exit', 'tiny_other', 'tiny_call', 'tiny_table']);
  });

  it('counts both static helpers, with their ELF values, types and source files (the STT_FILE before each)', () => {
    expect(tiny.symbols?.byName.get('helper')).toEqual([
      { name: 'helper', address: '0000000000000000', type: 'FUNC', index: 0, sourceFile: 'tiny_a.c' },
      { name: 'helper', address: '0000000000000044', type: 'FUNC', index: 2, sourceFile: 'tiny_b.c' },
    ]);
    expect(tiny.symbols).toMatchObject({ object: 'tiny', source: 'elf', file: 'tiny.ko', count: 10 });
  });

  it('keeps every defined symbol of a livepatch module (is_livepatch_module in layout_symtab)', () => {
    const lp = moduleFromBytes(readFileSync(fixturePath('kernel', 'elf', 'tiny_lp.ko')), 'tiny_lp.ko');
    expect(lp.modinfo.livepatch).toBe(true);
    const names = walk(lp.symbols);
    expect(names).toHaveLength(32); // 34 symbols less the null one and undefined_elsewhere
    expect(names).toEqual(expect.arrayContaining(['tiny_init', 'info_name', 'versions', 'tiny_a.c']));
    expect(names).not.toContain('undefined_elsewhere');
  });

  it('names a module without .modinfo name= after its file, with - read as _', () => {
    const bytes = Buffer.from(readFileSync(fixturePath('kernel', 'elf', 'tiny.ko')));
    bytes.write('nome=tiny', bytes.indexOf('name=tiny'), 'latin1');
    const module = moduleFromBytes(bytes, '/x/my-mod.ko.xz');
    expect(module.modinfo.name).toBeUndefined();
    expect(module.name).toBe('my_mod');
    expect(module.symbols?.object).toBe('my_mod');
  });

  it('reports a file that is no ELF module as a parse-error, without symbols', () => {
    const bad = moduleFromBytes(Buffer.from('not elf'), 'bad-mod.ko');
    expect(bad.name).toBe('bad_mod');
    expect(bad.symbols).toBeUndefined();
    expect(bad.problems.map((p) => [p.code, p.severity, p.file])).toEqual([['parse-error', 'warning', 'bad-mod.ko']]);
  });
});

describe('readModuleFile', () => {
  it.each(['tiny.ko', 'tiny.ko.xz', 'tiny.ko.zst'])('reads %s', async (name) => {
    const module = await readModuleFile(fixturePath('kernel', 'elf', name));
    expect(module.name).toBe('tiny');
    expect(module.symbols?.count).toBe(10);
  });

  it('reports a missing file as unreadable-input with the given severity', async () => {
    const module = await readModuleFile('/nonexistent/x.ko', 'warning');
    expect(module.symbols).toBeUndefined();
    expect(module.problems).toHaveLength(1);
    expect(module.problems[0]).toMatchObject({ code: 'unreadable-input', severity: 'warning', file: '/nonexistent/x.ko' });
    expect(module.problems[0].message).toMatch(/^cannot read module \/nonexistent\/x\.ko: /);
  });
});
