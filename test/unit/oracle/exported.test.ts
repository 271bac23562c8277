// The exported-symbol scenario's patch, read through the whole engine (oracle/src/exported.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLpdep } from '../../../oracle/src/exported';
import { template } from '../../../oracle/src/modules';
import { emptyKernelContext, type KernelContext } from '../../../server/src/kernel/types';
import { CParser } from '../../../server/src/syntax/treeSitter';

function kernel(depends: string[]): KernelContext {
  const context = emptyKernelContext();
  context.exports.set('ta_value', {
    symbol: 'ta_value',
    crc: '0x0',
    object: 'klp_oracle_ta',
    path: '/build/klp_oracle_ta',
    exportType: 'EXPORT_SYMBOL_GPL',
    namespace: '',
  });
  context.modules.set('klp_oracle_lpdep', { name: 'klp_oracle_lpdep', builtin: false, depends });
  return context;
}

describe('readLpdep', () => {
  let parser: CParser;
  let file: string;
  const text = template('lpdep.c');
  beforeAll(async () => {
    parser = await CParser.create();
    file = path.join(mkdtempSync(path.join(tmpdir(), 'klp-oracle-')), 'klp_oracle_lpdep.c');
    writeFileSync(file, text);
  });

  it('gets the import from the exported-symbol-dependency finding at the call', () => {
    const read = readLpdep(file, text, kernel(['klp_oracle_ta']), parser);
    expect(read.checkProblem).toBeNull();
    expect(read.patch).toMatchObject({
      name: 'klp_oracle_lpdep',
      objects: [{ name: 'klp_oracle_ta', funcs: [{ name: 'ta_a_show', sympos: 0 }] }],
      imports: [{ symbol: 'ta_value', module: 'klp_oracle_ta' }],
    });
  });

  it('says so when the built module does not depend on the target', () => {
    expect(readLpdep(file, text, kernel([]), parser).checkProblem).toMatch(/depends: \(nothing\), not klp_oracle_ta/);
  });

  it('says so when the check does not know the export', () => {
    expect(readLpdep(file, text, emptyKernelContext(), parser).checkProblem).toMatch(/did not report ta_value/);
  });
});
