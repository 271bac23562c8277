import { describe, expect, it } from 'vitest';
import { parseSymvers } from '../../../server/src/kernel/symvers';
import { fixturePath, readFixture } from '../../helpers/fixtures';

describe('parseSymvers', () => {
  const file = fixturePath('kernel', 'Module.symvers');
  const { exports, problems } = parseSymvers(readFixture('kernel', 'Module.symvers'), file);

  it('reads vmlinux exports with an empty namespace column', () => {
    expect(exports.get('phys_base')).toEqual({
      symbol: 'phys_base',
      crc: '0x4c9d28b0',
      object: 'vmlinux',
      path: 'vmlinux',
      exportType: 'EXPORT_SYMBOL',
      namespace: '',
    });
  });

  it('names a module by the basename of its path', () => {
    expect(exports.get('cdrom_check_events')?.object).toBe('cdrom');
    expect(exports.get('cdrom_check_events')?.path).toBe('drivers/cdrom/cdrom');
  });

  it("reads '-' in a module path as '_' and keeps the namespace", () => {
    const e = exports.get('usb_stor_probe');
    expect(e?.object).toBe('usb_storage');
    expect(e?.exportType).toBe('EXPORT_SYMBOL_GPL');
    expect(e?.namespace).toBe('USB_STORAGE');
  });

  it('reads the 4-column format of kernels before 5.4, CRLF included', () => {
    expect(exports.get('old_style')).toMatchObject({ object: 'foo', exportType: 'EXPORT_SYMBOL', namespace: '' });
  });

  it('keeps the first of two lines for one symbol', () => {
    expect(exports.get('phys_base')?.object).toBe('vmlinux');
    expect(exports.size).toBe(4);
  });

  it('reports each malformed line as a parse-error warning at that line, and skips it', () => {
    expect(problems.map((p) => [p.code, p.severity, p.range.start.line])).toEqual([
      ['parse-error', 'warning', 4],
      ['parse-error', 'warning', 5],
      ['parse-error', 'warning', 7],
    ]);
    expect(problems.every((p) => p.file === file)).toBe(true);
    expect(problems[0].range.end.character).toBe('this line is not an export'.length);
  });

  it('sums up malformed lines past the first twenty', () => {
    const text = Array.from({ length: 25 }, (_, i) => `garbage ${i}`).join('\n');
    const result = parseSymvers(text, 'x');
    expect(result.exports.size).toBe(0);
    expect(result.problems).toHaveLength(21);
    expect(result.problems[20].message).toContain('5 more malformed');
  });

  it('reads an empty file as no exports and no problem', () => {
    expect(parseSymvers('', 'x')).toEqual({ exports: new Map(), modules: [], problems: [] });
  });
});
