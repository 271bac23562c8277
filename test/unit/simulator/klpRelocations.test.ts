// Livepatch relocations: the vmlinux sections written when the livepatch module loads, a
// module's when the module is there (late module patching), never twice before 6.3, which clears
// them when the module goes (kernel/livepatch/core.c klp_apply_section_relocs(),
// klp_clear_object_relocs(), arch/x86/kernel/module.c apply_relocate_add(); the oracle's
// klp-symbol scenario judges it on Debian's kernel).
import { describe, expect, it } from 'vitest';
import { invalidRelocationTarget, isSimulatedLine } from '../../../server/src/simulator/messages';
import { simulate } from '../../../server/src/simulator/simulate';
import type { SimPatch, SymbolCounter } from '../../../server/src/simulator/types';
import { disable, load, loadModule, patch, unload, unloadModule } from './builders';

const TABLES: Record<string, Record<string, number>> = { vmlinux: { jhash: 2, schedule: 1 }, m: { m_value: 1, f: 1 }, other: { o_value: 1 } };
const countSymbol: SymbolCounter = (object, name) => TABLES[object]?.[name] ?? 0;

const lpklp = (relocations: SimPatch['klpRelocations']): SimPatch => ({ ...patch('lpklp', { funcs: ['m:f'] }), klpRelocations: relocations });
const converted = lpklp([
  { object: 'vmlinux', symbols: [{ object: 'vmlinux', name: 'jhash', sympos: 2 }], firstType: 4 },
  { object: 'm', symbols: [{ object: 'm', name: 'm_value', sympos: 0 }], firstType: 4 },
]);

const series = [load(converted), loadModule('m'), unloadModule('m'), loadModule('m'), disable('lpklp'), unload('lpklp'), loadModule('m')];

describe('a livepatch whose klp symbols were converted into livepatch relocation sections, before 6.3', () => {
  const r = simulate(series, { countSymbol, initiallyUnloaded: ['m'], rules: { symposZeroIsOne: true, clearsModuleRelocations: false, patchAttributes: [], kobjectLogPrefix: false } });

  it('loads without the module it patches (no depends:), and patches it when it comes', () => {
    expect([r[0].ok, r[1].ok]).toEqual([true, true]);
    expect(r[1].functions).toMatchObject([{ object: 'm', name: 'f', active: 'lpklp' }]);
  });

  it('lets the module go (no reference on it)', () => expect(r[2].ok).toBe(true));

  it('refuses the module the second time it comes: 6.1 never clears a written place', () => {
    expect(r[3].ok).toBe(false);
    expect(r[3].error?.split('\n')).toEqual([
      'module: x86/modules: Skipping invalid relocation target, existing value is nonzero for type 4, loc …, val …',
      "livepatch: failed to initialize patch 'lpklp' for module 'm' (-8)",
      "livepatch: patch 'lpklp' failed for module 'm', refusing to load module 'm'",
      'insmod: ERROR: could not insert module m.ko: Exec format error',
    ]);
  });

  it('lets it load again once the livepatch module is gone', () => expect([r[4].ok, r[5].ok, r[6].ok]).toEqual([true, true, true]));
});

// Linux 6.3, "livepatch,x86: Clear relocation targets on a module removal": klp_cleanup_module_patches_limited() calls klp_clear_object_relocs().
describe('the same from 6.3 on (and without a known kernel: the newest behaviour)', () => {
  it.each([
    ['6.3 and later', { symposZeroIsOne: true, clearsModuleRelocations: true, patchAttributes: ['replace'], kobjectLogPrefix: true }],
    ['no rules given', undefined],
  ])('patches the module again the second time it comes: %s', (_, rules) => {
    const r = simulate(series.slice(0, 4), { countSymbol, initiallyUnloaded: ['m'], ...(rules && { rules }) });
    expect(r.map((step) => step.ok)).toEqual([true, true, true, true]);
    expect(r[3].functions).toMatchObject([{ object: 'm', name: 'f', active: 'lpklp' }]);
  });
});

describe('what klp_resolve_symbols() refuses', () => {
  it('a vmlinux symbol that does not resolve refuses the livepatch module before its init', () => {
    const [step] = simulate([load(lpklp([{ object: 'vmlinux', symbols: [{ object: 'vmlinux', name: 'jhash', sympos: 0 }] }]))], { countSymbol });
    expect(step.error?.split('\n')).toEqual([
      "livepatch: unresolvable ambiguity for symbol 'jhash' in object '(null)'",
      'insmod: ERROR: could not insert module lpklp.ko: Invalid parameters',
    ]);
  });

  it('a vmlinux symbol in a module-specific section', () => {
    const r = simulate([load(lpklp([{ object: 'm', symbols: [{ object: 'vmlinux', name: 'schedule', sympos: 0 }] }]))], { countSymbol });
    expect(r[0].error?.split('\n')[0]).toBe("livepatch: invalid access to vmlinux symbol 'schedule' from module-specific livepatch relocation section");
  });

  it("a symbol of another module that is not loaded: klp_find_object_symbol() does not find it", () => {
    const withOther = lpklp([{ object: 'm', symbols: [{ object: 'other', name: 'o_value', sympos: 0 }] }]);
    const r = simulate([load(withOther), loadModule('other'), load(withOther)], { countSymbol, initiallyUnloaded: ['other'] });
    expect(r[0].error?.split('\n')[0]).toBe("livepatch: symbol 'o_value' not found in symbol table");
    expect(r[2].ok).toBe(true);
  });
});

describe('a module built with KLP_RELOC_SYMBOL but never converted', () => {
  it('is refused by the loader: nothing exports the klp symbols', () => {
    const raw: SimPatch = { ...patch('lpraw', { funcs: ['m:f'] }), undefinedSymbols: ['.klp.sym.rela.m.m.m_value,0'] };
    const [step] = simulate([load(raw)], { countSymbol });
    expect(step.error?.split('\n')).toEqual([
      'lpraw: Unknown symbol .klp.sym.rela.m.m.m_value,0 (err -2)',
      'insmod: ERROR: could not insert module lpraw.ko: Unknown symbol in module',
    ]);
  });
});

describe('isSimulatedLine', () => {
  const logged = 'module: x86/modules: Skipping invalid relocation target, existing value is nonzero for type 4, loc 00000000e2982cc8, val ffffffffc0205ffc';
  it('takes the relocation line without its addresses, and with a type the simulator did not know', () => {
    expect(isSimulatedLine(invalidRelocationTarget(4), logged)).toBe(true);
    expect(isSimulatedLine(invalidRelocationTarget(undefined), logged)).toBe(true);
  });
  it('not with another type, nor any other line that differs', () => {
    expect(isSimulatedLine(invalidRelocationTarget(2), logged)).toBe(false);
    expect(isSimulatedLine("livepatch: symbol 'a' not found in symbol table", "livepatch: symbol 'b' not found in symbol table")).toBe(false);
  });
});
