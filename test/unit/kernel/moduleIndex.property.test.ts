// A damaged module index is never trusted (issue 14: "never trusted if corrupt"): whatever bytes
// of it are changed, a load never throws, and every table and every holders() answer it gives
// is the one reading the modules gives, or the table is reported unknown (and holds nothing).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKernelContext } from '../../../server/src/kernel/context';
import { indexFileOf } from '../../../server/src/kernel/moduleIndex';
import { fixturePath } from '../../helpers/fixtures';

const dir = mkdtempSync(path.join(os.tmpdir(), 'klp-module-index-damage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a damaged module index', () => {
  it('gives the tables and holders reading the modules gives, or says a table is unknown', async () => {
    const modules = path.join(dir, 'modules');
    const indexDir = path.join(dir, 'index');
    cpSync(fixturePath('kernel', 'elf'), modules, { recursive: true });
    const truth = await loadKernelContext({ modules, indexDir: false });
    const names = [...truth.modules.keys()];
    const symbols = [...new Set([...truth.objects.values()].flatMap((t) => [...t.byName.keys()]))];
    await loadKernelContext({ modules, indexDir });
    const index = indexFileOf(indexDir, modules);
    const good = readFileSync(index);

    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), async (flips) => {
        const bytes = Buffer.from(good);
        for (const [at, mask] of flips) bytes[at] ^= mask;
        writeFileSync(index, bytes);
        const context = await loadKernelContext({ modules, indexDir });
        // A table that does not check out is reported as it is asked for.
        const unknown = () => context.problems.map((p) => p.message).filter((m) => / is not known: /.test(m));
        for (const name of names) {
          const table = context.objects.get(name);
          if (table) expect([...table.byName]).toEqual([...truth.objects.get(name)!.byName]);
          else expect(unknown().some((m) => m.startsWith(`the symbol table of ${name} `))).toBe(true);
        }
        // The objects whose table is unknown hold nothing.
        const lost = (o: string) => unknown().some((m) => m.startsWith(`the symbol table of ${o} `));
        for (const symbol of symbols.slice(0, 20)) expect(context.objects.holders(symbol)).toEqual(truth.objects.holders(symbol).filter((o) => !lost(o)));
      }),
      { numRuns: 150, seed: 14 },
    );
  });
});
