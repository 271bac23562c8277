// Property: whatever a part's csv and .c files hold, the SUSE reading returns (never throws),
// and every new function's definition it gives is that very name in that part's .c file.
import * as path from 'node:path';
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { nodeFileSource, type FileSource } from '../../../server/src/common/fileSource';
import { functionsOf } from '../../../server/src/model/livepatch';
import { livepatchFromSuse, suseLayoutAt } from '../../../server/src/model/suseLayout';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { fixturePath } from '../../helpers/fixtures';

const ROOT = fixturePath('suse/release');
const CSV = path.join(ROOT, 'bsc1000002/patched_funcs.csv');
const C = path.join(ROOT, 'bsc1000002/livepatch_bsc1000002.c');
let parser: CParser;
beforeAll(async () => {
  parser = await CParser.create();
});

// Lines built from the pieces these files are made of, so that rows and definitions do occur.
const piece = fc.constantFrom('vmlinux a klpp_a', 'int klpp_b(void)', 'klpp_a(int x)', 'vmlinux', 'klpp_a', 'klpp_b', 'a', 'b,2', 'b,x', 'int', 'void', '(void)', '{', '}', ';', ' ', '\t', ',', '\r', 'IS_ENABLED(CONFIG_X)', '/*', '*/', '#if 0');
const text = fc.array(fc.array(piece, { maxLength: 8 }).map((words) => words.join('')), { maxLength: 12 }).map((lines) => lines.join('\n'));

it('reads any csv and .c text of a part without throwing; each definition found is its name in the .c', () => {
  let found = 0;
  fc.assert(
    fc.property(text, text, (csvText, cText) => {
      const disk = nodeFileSource();
      const fs: FileSource = { ...disk, readText: (file) => (file === CSV ? csvText : file === C ? cText : disk.readText(file)) };
      const lp = livepatchFromSuse(suseLayoutAt(ROOT, fs)!, fs, parser, { name: 'release' });
      const lines = cText.split('\n');
      for (const f of functionsOf(lp)) {
        if (!f.newFuncDefinition) continue;
        found++;
        const { file, range } = f.newFuncDefinition;
        const source = file === C ? lines : disk.readText(file)!.split('\n');
        expect(source[range.start.line].slice(range.start.character, range.end.character)).toBe(f.newFunc);
      }
    }),
    // A fixed seed: whether random text happens to hold a generated definition must not decide the run.
    { numRuns: 300, seed: 7 },
  );
  // Beyond bsc1000001's own definition (one a run), the generated ones are found too.
  expect(found).toBeGreaterThan(300);
});
