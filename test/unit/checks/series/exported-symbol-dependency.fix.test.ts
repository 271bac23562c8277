import { describe, expect, it } from 'vitest';
import { applied, edited, fixesFor, fixture, problemsOf, readModule, shifted, theFix, theProblem } from '../fixing';
import { SCENARIOS } from '../fixScenarios';

/** What the fix adds after the includes when the module does not use KLP_RELOC_SYMBOL yet. */
const DEFINITION = `
#ifndef KLP_RELOC_SYMBOL_POS
/*
 * klp-convert's annotations, as the kernels that carry klp-convert define them: the
 * symbol is renamed ".klp.sym.rela.<lp_obj>.<sym_obj>.<sym>,<pos>" and klp-convert
 * (or \`klp-lens convert\`) turns each reference to it into a klp relocation, written by
 * the livepatch core when <lp_obj> is loaded instead of by the module loader.
 */
#define KLP_RELOC_SYMBOL_POS(LP_OBJ_NAME, SYM_OBJ_NAME, SYM_NAME, SYM_POS) \\
	asm("\\".klp.sym.rela." #LP_OBJ_NAME "." #SYM_OBJ_NAME "." #SYM_NAME "," #SYM_POS "\\"")
#define KLP_RELOC_SYMBOL(LP_OBJ_NAME, SYM_OBJ_NAME, SYM_NAME) \\
	KLP_RELOC_SYMBOL_POS(LP_OBJ_NAME, SYM_OBJ_NAME, SYM_NAME, 0)
#endif
`;

describe('klp-symbol (exported-symbol-dependency)', () => {
  const scenario = SCENARIOS.exportedSymbolDependency;
  const text = fixture('klp-symbol', 'lp_cdrom.c');

  it('declares the export as a klp symbol of the patched module, before the comment of the first function using it', async () => {
    const fix = theFix(await theProblem(scenario, text), text);
    expect(fix).toMatchObject({ title: 'Convert `cdrom_check_events` to a klp symbol (KLP_RELOC_SYMBOL)', code: 'exported-symbol-dependency', file: 'lp_cdrom.c' });
    expect(fix.preferred).toBeUndefined();
    const fixed = applied(text, fix);
    expect(fixed).toBe(
      edited(
        edited(text, '#include <linux/livepatch.h>\n', `#include <linux/livepatch.h>\n${DEFINITION}`),
        '/*\n * The fixed media_changed().',
        'extern typeof(cdrom_check_events) cdrom_check_events KLP_RELOC_SYMBOL(cdrom, cdrom, cdrom_check_events);\n\n/*\n * The fixed media_changed().',
      ),
    );
    expect(await problemsOf(scenario, fixed)).toEqual([]);
    const lp = await readModule(fixed, 'lp_cdrom.c');
    expect(lp.klpSymbols).toMatchObject([{ name: 'cdrom_check_events', object: 'cdrom', sympos: 0, spelling: 'KLP_RELOC_SYMBOL' }]);
    expect(lp.problems).toEqual([]);
  });

  it('adds no definition to a module that already uses KLP_RELOC_SYMBOL', async () => {
    const using = edited(text, '#include <linux/livepatch.h>\n', '#include <linux/livepatch.h>\n#include "klp_convert.h"\n\nextern int cdrom_sleep KLP_RELOC_SYMBOL(cdrom, cdrom, cdrom_sleep);\n');
    const fixed = applied(using, theFix(await theProblem(scenario, using), using));
    expect(fixed).toBe(
      edited(using, '/*\n * The fixed', 'extern typeof(cdrom_check_events) cdrom_check_events KLP_RELOC_SYMBOL(cdrom, cdrom, cdrom_check_events);\n\n/*\n * The fixed'),
    );
    expect(await problemsOf(scenario, fixed)).toEqual([]);
  });

  it('names the object whose replacement function uses it; vmlinux code and helpers of several objects get no fix', async () => {
    const two = SCENARIOS.exportedSymbolDependencyTwo;
    const twoText = fixture('klp-symbol', 'lp_two.c');
    const problems = await problemsOf(two, twoText);
    expect(problems.map((p) => [p.data?.symbol, p.data?.relocationObject])).toEqual([
      ['cdrom_open', 'sr_mod'],
      ['unregister_cdrom', null],
      ['register_cdrom', 'vmlinux'],
    ]);
    const [open, helper, vmlinux] = problems;
    // A vmlinux relocation to a module's symbol is resolved when the livepatch loads: it fails while cdrom is absent.
    expect(fixesFor(vmlinux, twoText)).toEqual([]);
    expect(fixesFor(helper, twoText)).toEqual([]);
    const fixed = applied(twoText, theFix(open, twoText));
    expect(fixed).toBe(
      edited(
        edited(twoText, '#include <linux/cdrom.h>\n', `#include <linux/cdrom.h>\n${DEFINITION}`),
        'static int livepatch_sr_block_open',
        'extern typeof(cdrom_open) cdrom_open KLP_RELOC_SYMBOL(sr_mod, cdrom, cdrom_open);\n\nstatic int livepatch_sr_block_open',
      ),
    );
    expect((await problemsOf(two, fixed)).map((p) => p.data?.symbol)).toEqual(['unregister_cdrom', 'register_cdrom']);
  });

  it('gives no fix for a patch diff (the build tools convert it), or once the text has changed under the problem', async () => {
    const problem = await theProblem(scenario, text);
    expect(fixesFor({ ...problem, file: 'cdrom-fix.patch' }, text)).toEqual([]);
    expect(fixesFor(problem, shifted(text))).toEqual([]);
  });
});
