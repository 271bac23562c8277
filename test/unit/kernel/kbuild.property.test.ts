// Random and mutated Makefile and .config text: the readers never throw and never hang.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../server/src/kernel/config';
import { createKbuildResolver } from '../../../server/src/kernel/kbuild';
import { evaluateMakefile } from '../../../server/src/kernel/makefileEval';
import { parseMakefile } from '../../../server/src/kernel/makefileSyntax';
import { readFixture } from '../../helpers/fixtures';
import { describeShared } from '../../helpers/shared';
import { corpusFiles, LINUX } from './kbuildDebian';

const KITCHEN_SINK = readFixture('kbuild', 'kitchen-sink.mk');
const CONFIG_SEED = 'CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C="str \\" x"\nCONFIG_D=0x10\nCONFIG_E=m\n';

// Pieces that make Makefiles interesting: references, operators, directives, continuations.
const TOKENS = ['$(', '${', ')', '}', '$$', '$', ':=', '+=', '?=', '!=', '=', ':', '::=', '\\', '\n', '\t', ' ', '#', ',', '"', "'",
  'obj-y', 'obj-m', 'obj-$(CONFIG_A)', 'lib-y', 'subdir-y', '-objs', '-y', 'x.o', 'd/', 'ifdef ', 'ifndef ', 'ifeq ', 'ifneq ',
  'else', 'endif', 'define ', 'endef', 'include ', 'export ', '$(call ', '$(subst ', '$(addprefix ', 'CONFIG_A', '(', ','];

const makefileText = fc.oneof(fc.string({ maxLength: 300 }), fc.array(fc.constantFrom(...TOKENS), { maxLength: 120 }).map((t) => t.join('')));

const configMap = fc.dictionary(
  fc.constantFrom('CONFIG_A', 'CONFIG_B', 'CONFIG_DEMO', 'CONFIG_PARTS', 'CONFIG_SMP', 'CONFIG_MMU', 'CONFIG_X', 'CONFIG_HV'),
  fc.constantFrom('y', 'm', '', 'str'),
);

/** Deletes, inserts, duplicates and swaps pieces of a real text. */
function mutated(seed: string): fc.Arbitrary<string> {
  const edit = fc.record({
    kind: fc.constantFrom('delete', 'insert', 'duplicate', 'swap'),
    at: fc.nat(),
    length: fc.nat({ max: 40 }),
    text: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...TOKENS)),
  });
  return fc.array(edit, { minLength: 1, maxLength: 12 }).map((edits) => {
    let text = seed;
    for (const e of edits) {
      const at = text.length === 0 ? 0 : e.at % text.length;
      if (e.kind === 'delete') text = text.slice(0, at) + text.slice(at + e.length);
      else if (e.kind === 'insert') text = text.slice(0, at) + e.text + text.slice(at);
      else if (e.kind === 'duplicate') text = text.slice(0, at) + text.slice(at, at + e.length) + text.slice(at);
      else {
        const lines = text.split('\n');
        const i = at % lines.length;
        const j = (at + e.length) % lines.length;
        [lines[i], lines[j]] = [lines[j], lines[i]];
        text = lines.join('\n');
      }
    }
    return text;
  });
}

/** Evaluates and reads every list kbuild uses, in bounded time. */
function exercise(text: string, config: Map<string, string> | undefined): void {
  const started = Date.now();
  parseMakefile(text);
  const values = evaluateMakefile(text, 'm/Makefile', { config });
  for (const name of ['obj-y', 'obj-m', 'lib-y', 'subdir-y', 'demo-objs', 'parts-y', 'proc-y']) {
    for (const w of values.words(name)) {
      expect(typeof w.text).toBe('string');
      w.pattern?.test('drivers/x/y.o');
    }
  }
  const resolver = createKbuildResolver('/src', config, (p) => (p === 'Kbuild' ? 'obj-y += m/\n' : p === 'm/Makefile' ? text : undefined));
  for (const file of ['m/core.c', 'm/demo_main.c', 'm/sub/x.c', 'm/x.h', 'm/parts_extra.c', 'm/lib/a.c', 'n/x.c']) {
    const r = resolver.resolve(file);
    expect(typeof r.object).toBe('string');
    expect(r.reason.length).toBeGreaterThan(0);
  }
  expect(Date.now() - started).toBeLessThan(10_000);
}

describe('kbuild readers on random and mutated input', () => {
  it('parseConfig never throws on random text, and keeps only CONFIG_ names', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), mutated(CONFIG_SEED)), (text) => {
        const { config, problems } = parseConfig(text, 'c');
        for (const key of config.keys()) expect(key).toMatch(/^CONFIG_[A-Za-z0-9_]+$/);
        for (const p of problems) expect(p.range.start.line).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it('Makefile reading never throws or hangs on random text', () => {
    fc.assert(
      fc.property(makefileText, fc.option(configMap, { nil: undefined }), (text, cfg) => exercise(text, cfg && new Map(Object.entries(cfg)))),
      { numRuns: 300 },
    );
  });

  it('Makefile reading never throws or hangs on a mutated Makefile', () => {
    fc.assert(
      fc.property(mutated(KITCHEN_SINK), fc.option(configMap, { nil: undefined }), (text, cfg) => exercise(text, cfg && new Map(Object.entries(cfg)))),
      { numRuns: 200 },
    );
  });

  it('stays bounded on self-referencing and exponentially growing variables', () => {
    const levels = Array.from({ length: 40 }, (_, i) => `v${i + 1} = $(v${i})$(v${i}) $(v${i})`).join('\n');
    exercise(`v0 = x.o\n${levels}\nobj-y += $(v40)\na = $(a) $(a)\nobj-y += $(a)\n`, new Map());
    exercise(`obj-y += ${'$('.repeat(20000)}${')'.repeat(20000)}\n`, undefined);
    exercise(`obj-y += ${'$(X)a'.repeat(2000)}\n`, undefined);
  });
});

describeShared('kbuild readers on mutated real Makefiles of linux-6.1', () => {
  const makefiles = corpusFiles('.', /^(Makefile|Kbuild)$/).map((f) => readFileSync(path.join(LINUX, f), 'utf8'));

  it('reads every real kbuild file in bounded time', () => {
    for (const text of makefiles) exercise(text, new Map([['CONFIG_A', 'y']]));
  });

  it('never throws or hangs on mutations of them', () => {
    fc.assert(
      fc.property(fc.constantFrom(...makefiles).chain(mutated), fc.option(configMap, { nil: undefined }), (text, cfg) => exercise(text, cfg && new Map(Object.entries(cfg)))),
      { numRuns: 60 },
    );
  });
});
