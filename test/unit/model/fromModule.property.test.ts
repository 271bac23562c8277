// Property tests: whatever the text, livepatchFromModule returns (never throws, never hangs),
// reports no internal error, and every location it gives lies inside the text.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Location } from '../../../server/src/common/range';
import type { Livepatch } from '../../../server/src/model/livepatch';
import { parseKernelVersion } from '../../../server/src/kernel/kernelVersion';
import { livepatchFromModule } from '../../../server/src/model/fromModule';
import { predefinedFromConfig } from '../../../server/src/model/targetMacros';
import type { Predefined } from '../../../server/src/syntax/cConditions';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { FIXTURES } from '../../helpers/fixtures';
import { HAS_SHARED, sharedPath } from '../../helpers/shared';

let parser: CParser;
beforeAll(async () => {
  parser = await CParser.create();
});

/** A generous bound: the largest corpus file reads in well under 100 ms. */
const TIME_BUDGET_MS = 2000;

function locationsOf(lp: Livepatch): Location[] {
  const optional = (l: Location | undefined) => (l ? [l] : []);
  return [
    lp.location,
    ...optional(lp.replaceLocation),
    ...optional(lp.modinfoLocation),
    ...lp.objects.flatMap((o) => [o.location, ...optional(o.nameLocation), ...o.funcs.flatMap((f) => [f.location, ...optional(f.nameLocation), ...optional(f.symposLocation)])]),
    ...lp.states.map((s) => s.location),
    ...lp.exports.map((e) => e.location),
    ...(lp.arrays ?? []).flatMap((a) => [a.location, a.terminatorLocation]),
    ...lp.references.map((r) => r.location),
    ...lp.klpSymbols.map((k) => k.location),
    ...lp.problems.map((p) => ({ file: p.file, range: p.range })),
  ];
}

/** A target with a .config and a version: every #if line is evaluated. */
const TARGET = predefinedFromConfig(new Map([['CONFIG_X86_64', 'y'], ['CONFIG_BT', 'm']]), parseKernelVersion('6.12.10', 'the test'));

function check(text: string): void {
  for (const predefined of [undefined, TARGET]) readsWell(text, predefined);
}

function readsWell(text: string, predefined: Predefined | undefined): void {
  const started = Date.now();
  const lp = livepatchFromModule(parser, text, 'm.c', { name: 'm', ...(predefined && { predefined }) });
  expect(Date.now() - started).toBeLessThan(TIME_BUDGET_MS);
  expect(lp.kind).toBe('module');
  expect(lp.problems.filter((p) => p.severity === 'error')).toEqual([]);
  const lines = text.split('\n');
  for (const { file, range } of locationsOf(lp)) {
    expect(file).toBe('m.c');
    const { start, end } = range;
    expect(start.line <= end.line && (start.line < end.line || start.character <= end.character)).toBe(true);
    expect(end.line).toBeLessThan(lines.length);
    expect(start.character).toBeLessThanOrEqual(lines[start.line].length);
    expect(end.character).toBeLessThanOrEqual(lines[end.line].length);
  }
  for (const f of lp.objects.flatMap((o) => o.funcs)) expect(Number.isFinite(f.sympos)).toBe(true);
  for (const s of lp.states) expect(Number.isFinite(s.id) && Number.isFinite(s.version)).toBe(true);
}

/** Pieces of livepatch C, so that random sequences reach the readers' interesting paths. */
const TOKENS = [
  'static struct klp_func funcs[] = ', 'static struct klp_object objs[] = ', 'static struct klp_state states[2] = ',
  'static struct klp_patch patch = ', '(struct klp_func[]) ', '{', '}', '{ }', ',', ';', '(', ')', '[', ']', '&', '*',
  '.old_name = ', '.new_func = ', '.old_sympos = ', '.name = ', '.funcs = ', '.objs = ', '.states = ', '.callbacks = ',
  '.callbacks.pre_patch = ', '.replace = ', '.id = ', '.version = ', '"cmdline_proc_show"', '"mod"', 'NULL', 'true', '0', '2',
  'fn', 'objs', 'funcs', 'states', 'patch.replace = ', 'replace', '__stringify(', 'X', '#define X 1\n', '#define X(a) a\n',
  '#if 1\n', '#endif\n', '#ifdef CONFIG_X86_64\n', '#ifndef X\n', '#elif defined(__x86_64__)\n', '#else\n',
  '#if IS_ENABLED(CONFIG_BT) || LINUX_VERSION_CODE >= KERNEL_VERSION(5, 7, 0)\n', 'MODULE_INFO(livepatch, "Y");', 'EXPORT_SYMBOL(fn);', 'module_param(replace, bool, 0);',
  'extern int x ', 'KLP_RELOC_SYMBOL(lp, vmlinux, x)', 'KLP_RELOC_SYMBOL_POS(lp, mod, x, 2)', 'KLP_MODULE_RELOC(vmlinux) r[] = ',
  'KLP_SYMPOS(x, 1)', '__asm__(".klp.sym.vmlinux.x,0")', 'kallsyms_lookup_name("x")', 'static int f(int a) ', 'return ',
  '/* c */', '// c\n', '\\\n', '\n', ' ', '\t', '"', "'", 'é', '😀',
];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }).map((parts) => parts.join(''));

function realModules(): string[] {
  const own = readdirSync(path.join(FIXTURES, 'module')).map((f) => readFileSync(path.join(FIXTURES, 'module', f), 'utf8'));
  if (!HAS_SHARED) return own;
  const corpus = [
    'linux-6.1/samples/livepatch/livepatch-callbacks-demo.c',
    'linux-6.1/lib/livepatch/test_klp_state.c',
    'github/hackman__kernel-livepatches/nft-catchall-fix-livepatch.c',
    'github/SUSE__kernel-livepatch/SLE15-SP6_Update_0/bsc1225011/livepatch_bsc1225011.c',
  ].map((p) => readFileSync(sharedPath('corpus', p), 'utf8'));
  return [...own, ...corpus];
}

/** Deletes, duplicates or inserts a slice, or truncates: what an editor shows between keystrokes. */
function mutated(texts: string[]) {
  return fc
    .record({
      text: fc.constantFrom(...texts),
      edits: fc.array(
        fc.record({
          kind: fc.constantFrom('delete', 'duplicate', 'insert', 'truncate'),
          at: fc.nat(),
          length: fc.nat({ max: 200 }),
          insert: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 20 })),
        }),
        { minLength: 1, maxLength: 6 },
      ),
    })
    .map(({ text, edits }) =>
      edits.reduce((t, e) => {
        const at = t.length === 0 ? 0 : e.at % t.length;
        switch (e.kind) {
          case 'delete':
            return t.slice(0, at) + t.slice(at + e.length);
          case 'duplicate':
            return t.slice(0, at + e.length) + t.slice(at, at + e.length) + t.slice(at + e.length);
          case 'insert':
            return t.slice(0, at) + e.insert + t.slice(at);
          default:
            return t.slice(0, at);
        }
      }, text),
    );
}

describe('livepatchFromModule properties', () => {
  it('any string', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300, unit: 'binary' }), check), { numRuns: 300 });
  });

  it('sequences of livepatch C tokens', () => {
    fc.assert(fc.property(tokenSoup, check), { numRuns: 400 });
  });

  it('real modules, mutated', () => {
    fc.assert(fc.property(mutated(realModules()), check), { numRuns: 150 });
  });

  it('deep nesting', () => {
    check('static struct klp_func f[] = ' + '{'.repeat(5000) + '}'.repeat(5000) + ';');
    check('static int f(void) { return ' + '('.repeat(5000) + '1' + ')'.repeat(5000) + '; }');
    check('static struct klp_func f[] = { { .old_name = ' + '('.repeat(5000) + '"x"' + ')'.repeat(5000) + ' }, { } };');
    check('static struct klp_patch p = { .replace = ' + '(bool)'.repeat(5000) + '1 };');
    // #if lines: deeply nested around many definitions, and a long #elif chain.
    check('#ifdef CONFIG_X86_64\n'.repeat(2000) + '#define A 1\n'.repeat(2000) + '#endif\n'.repeat(2000));
    check('#if defined(__aarch64__)\n#define P a\n' + '#elif defined(__s390x__)\n#define P b\n'.repeat(3000) + '#else\n#define P c\n#endif\n');
  });
});
