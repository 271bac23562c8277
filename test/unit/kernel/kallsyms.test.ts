import { describe, expect, it } from 'vitest';
import { parseKallsyms } from '../../../server/src/kernel/kallsyms';
import { inKallsymsTable } from '../../../server/src/kernel/kallsymsTable';
import { readFixture } from '../../helpers/fixtures';

const names = (entries: { name: string }[] | undefined) => entries?.map((e) => e.name);

describe('parseKallsyms on /proc/kallsyms', () => {
  const result = parseKallsyms(readFixture('kernel', 'kallsyms'), 'kallsyms', 'kallsyms');

  it('keeps vmlinux symbols of every type, absolute per-cpu ones included', () => {
    expect(result.vmlinux.object).toBe('vmlinux');
    expect(result.vmlinux.source).toBe('kallsyms');
    expect(result.vmlinux.count).toBe(7);
    expect(result.vmlinux.byName.get('fixed_percpu_data')?.[0]).toEqual({ name: 'fixed_percpu_data', address: '0000000000000000', type: 'A', index: 0 });
  });

  it('lists every occurrence of a name in file order, whatever its type (klp_find_callback)', () => {
    const typeShow = result.vmlinux.byName.get('type_show');
    expect(typeShow?.map((e) => [e.type, e.address, e.index])).toEqual([
      ['t', 'ffffffff81001000', 2],
      ['T', 'ffffffff81002000', 3],
      ['d', 'ffffffff81003000', 4],
      ['t', 'ffffffff81005000', 6],
    ]);
  });

  it('gives each [module] its own walk, numbered from 0', () => {
    const mymod = result.modules.get('mymod');
    expect(mymod?.count).toBe(3);
    expect(mymod?.byName.get('helper')?.map((e) => e.index)).toEqual([0, 2]);
    expect(names(mymod?.byName.get('mymod_init'))).toEqual(['mymod_init']);
  });

  it("skips a module's undefined symbols and the [bpf] and [__builtin__*] pseudo-modules", () => {
    expect(result.modules.get('lpmod')?.count).toBe(1);
    expect(result.modules.get('lpmod')?.byName.has('printk')).toBe(false);
    expect([...result.modules.keys()].sort()).toEqual(['lpmod', 'mymod']);
  });

  it('has no problems on a well-formed file', () => {
    expect(result.problems).toEqual([]);
  });
});

describe('parseKallsyms on System.map', () => {
  const result = parseKallsyms(readFixture('kernel', 'System.map'), 'System.map', 'system-map');

  it('drops what scripts/kallsyms.c leaves out of the kallsyms table: absolute symbols and the kallsyms_* tables', () => {
    expect([...result.vmlinux.byName.keys()]).toEqual(['__per_cpu_start', '_stext', 'type_show', 'data_sym']);
    expect(result.vmlinux.byName.get('type_show')?.map((e) => e.index)).toEqual([2, 3]);
    expect(result.vmlinux.source).toBe('system-map');
  });

  it('keeps absolute symbols when the file is a kallsyms', () => {
    const asKallsyms = parseKallsyms(readFixture('kernel', 'System.map'), 'x', 'kallsyms');
    expect(asKallsyms.vmlinux.byName.has('kexec_control_code_size')).toBe(true);
    expect(asKallsyms.vmlinux.count).toBe(9);
  });
});

describe('parseKallsyms on malformed lines', () => {
  it.each([
    ['no fields', 'garbage'],
    ['no name', 'ffffffff81000000 T '],
    ['a two-letter type', 'ffffffff81000000 TT name'],
    ['a non-hex address', 'fffffffg81000000 T name'],
    ['two names', 'ffffffff81000000 T name other'],
    ['a bad module column', 'ffffffff81000000 T name\tmod]'],
    ['an empty module', 'ffffffff81000000 T name\t[]'],
    ['text after the module', 'ffffffff81000000 T name\t[mod] x'],
  ])('reports %s as a parse-error at its line', (_, line) => {
    const result = parseKallsyms(`ffffffff81000000 T ok\n${line}\nffffffff81000001 T ok2\n`, 'k', 'kallsyms');
    expect(result.problems.map((p) => [p.code, p.severity, p.range.start.line])).toEqual([['parse-error', 'warning', 1]]);
    expect(result.vmlinux.count + [...result.modules.values()].reduce((n, m) => n + m.count, 0)).toBe(2);
  });

  it('reads CRLF line ends and blank lines', () => {
    const result = parseKallsyms('ffffffff81000000 T a\r\n\r\n\nffffffff81000001 t b\t[m]\r\n', 'k', 'kallsyms');
    expect(result.problems).toEqual([]);
    expect(names(result.vmlinux.byName.get('a'))).toEqual(['a']);
    expect(names(result.modules.get('m')?.byName.get('b'))).toEqual(['b']);
  });
});

describe('inKallsymsTable (scripts/kallsyms.c is_ignored_symbol)', () => {
  it.each([
    ['a text symbol', 'type_show', 't', true],
    ['a per-cpu data symbol', 'fixed_percpu_data', 'D', true],
    ['a weak symbol', 'arch_cpu_idle', 'W', true],
    ['an undefined symbol', 'printk', 'U', false],
    ['a GNU unique symbol', 'x', 'u', false],
    ['a debugging symbol', 'x', 'N', false],
    ['a non-allocated read-only symbol', 'x', 'n', false],
    ['an absolute symbol', 'text_size', 'A', false],
    ['a local absolute symbol', 'local_abs', 'a', false],
    ['an absolute symbol it keeps', '__gp', 'A', true],
    ['a kallsyms table', 'kallsyms_seqs_of_names', 'R', false],
    ['a ppc linker symbol', '_SDA_BASE_', 'D', false],
    ['a local label', '.Ltmp0', 't', false],
    ['an ARM mapping symbol', '$x', 't', false],
    ['a modversions CRC', '__crc_printk', 'R', false],
    ['a kCFI type id', '__kcfi_typeid_foo', 'A', false],
    ['an lld thunk', '__AArch64ADRPThunk_foo', 't', false],
    ['an arm veneer', 'foo_veneer', 't', false],
    ['a ppc stub', '0000.long_branch.foo', 't', false],
    ['a name of 511 characters', 'x'.repeat(511), 't', true],
    ['a name of 512 characters (KSYM_NAME_LEN)', 'x'.repeat(512), 't', false],
  ])('%s', (_, name, type, kept) => {
    expect(inKallsymsTable(name, type)).toBe(kept);
  });
});
