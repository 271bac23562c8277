import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../server/src/kernel/config';

describe('parseConfig', () => {
  it('reads y, m, numbers, hex and strings, and leaves unset options absent', () => {
    const { config, problems } = parseConfig(
      [
        '#',
        '# Automatically generated file; DO NOT EDIT.',
        '#',
        'CONFIG_CDROM=m',
        'CONFIG_LIVEPATCH=y',
        'CONFIG_HZ=250',
        'CONFIG_PHYSICAL_START=0x1000000',
        'CONFIG_LOCALVERSION=""',
        'CONFIG_CC_VERSION_TEXT="gcc-12 (Debian 12.2.0-14) 12.2.0"',
        'CONFIG_ESCAPED="a \\"quoted\\" \\\\ word"',
        '# CONFIG_GDROM is not set',
        '',
      ].join('\n'),
      '.config',
    );
    expect(problems).toEqual([]);
    expect(config.get('CONFIG_CDROM')).toBe('m');
    expect(config.get('CONFIG_LIVEPATCH')).toBe('y');
    expect(config.get('CONFIG_HZ')).toBe('250');
    expect(config.get('CONFIG_PHYSICAL_START')).toBe('0x1000000');
    expect(config.get('CONFIG_LOCALVERSION')).toBe('');
    expect(config.get('CONFIG_CC_VERSION_TEXT')).toBe('gcc-12 (Debian 12.2.0-14) 12.2.0');
    expect(config.get('CONFIG_ESCAPED')).toBe('a "quoted" \\ word');
    expect(config.has('CONFIG_GDROM')).toBe(false);
    expect(config.size).toBe(7);
  });

  it('lets a later line win, as conf_read_simple() does, and says so', () => {
    const { config, problems } = parseConfig('CONFIG_A=y\nCONFIG_B=m\nCONFIG_A=m\n# CONFIG_B is not set\n', 'c');
    expect(config.get('CONFIG_A')).toBe('m');
    expect(config.has('CONFIG_B')).toBe(false);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'information', range: { start: { line: 2 } } });
    expect(problems[0].message).toContain('CONFIG_A');
  });

  it('treats =n as unset (kconfig writes "is not set" for it)', () => {
    expect(parseConfig('CONFIG_X=n\n', 'c').config.has('CONFIG_X')).toBe(false);
  });

  it('accepts CRLF line ends', () => {
    expect(parseConfig('CONFIG_X=y\r\n# CONFIG_Y is not set\r\n', 'c')).toEqual({ config: new Map([['CONFIG_X', 'y']]), problems: [] });
  });

  it('reports malformed lines with their 0-based line and keeps reading', () => {
    const { config, problems } = parseConfig('CONFIG_A=y\nnot a config line\nCONFIG_B="unterminated\nCONFIG_C=\nCONFIG_D=two words\nCONFIG_E=m\n', 'my.config');
    expect([...config.keys()]).toEqual(['CONFIG_A', 'CONFIG_E']);
    expect(problems.map((p) => [p.range.start.line, p.code, p.file])).toEqual([
      [1, 'parse-error', 'my.config'],
      [2, 'parse-error', 'my.config'],
      [3, 'parse-error', 'my.config'],
      [4, 'parse-error', 'my.config'],
    ]);
  });
});
