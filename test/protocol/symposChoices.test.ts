// The old_sympos choices over stdio (issue 12): with klpLens.kernel.vmlinux beside System.map,
// the quick fixes of ambiguous-symbol name each occurrence's source file and address, and the
// hover names the file of the occurrence old_sympos picks.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../../tools/src/lspClient';
import { cursorIn } from '../helpers/cursor';
import { fixturePath } from '../helpers/fixtures';

// test/fixtures/kernel/vmlinux/build.sh: the static `helper` of part1.c and part2.c.
const folder = mkdtempSync(path.join(tmpdir(), 'klp-lens-sympos-'));
const lp = path.join(folder, 'lp.c');
let client: TestClient;

beforeAll(async () => {
  writeFileSync(path.join(folder, 'System.map'), 'ffffffff8100000b t helper\nffffffff8100001a T start_kernel\nffffffff81000043 t helper\n');
  writeFileSync(lp, readFileSync(fixturePath('checks', 'ambiguous-symbol', 'lp.c'), 'utf8').replace('"type_show"', '"helper"'));
  client = TestClient.spawn();
  client.settings = { kernel: { systemMap: path.join(folder, 'System.map'), vmlinux: fixturePath('kernel', 'vmlinux', 'vmlinux') } };
  await client.initialize([folder]);
  await client.waitFor('the kernel', () => client.kernelStatuses.some((s) => s.state === 'ready'));
});

afterAll(async () => {
  await client.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('old_sympos choices with a vmlinux symbol table', () => {
  it('offer each occurrence with its source file and address; the hover names the chosen one', async () => {
    const uri = await client.open(lp);
    const ambiguous = (await client.diagnostics(uri)).find((d) => d.code === 'ambiguous-symbol');
    expect(ambiguous).toBeDefined();
    const titles = (await client.quickFixes(uri, ambiguous!)).map((a) => a.title);
    expect(titles).toEqual(['Set .old_sympos = 1 (part1.c, ffffffff8100000b)', 'Set .old_sympos = 2 (part2.c, ffffffff81000043)']);

    const text = readFileSync(lp, 'utf8').replace('\t\t.old_name = "helper",\n', '\t\t.old_name = "helper",\n\t\t.old_sympos = 2,\n');
    await client.change(uri, text);
    expect((await client.diagnostics(uri)).filter((d) => d.code === 'ambiguous-symbol')).toEqual([]);
    const hover = await client.hover(uri, cursorIn(text, '.old_name = "hel$0per"'));
    expect(JSON.stringify(hover?.contents)).toContain("sympos 2 (vmlinux has 2 symbols of this name; this one is part2.c's)");
  });
});
