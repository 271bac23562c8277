// Symbol resolution: kernel/livepatch/core.c klp_find_object_symbol() (reference section 4).
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../server/src/simulator/simulate';
import { findObjectSymbol } from '../../../server/src/simulator/sympos';
import type { SymbolCounter } from '../../../server/src/simulator/types';
import { load, loadModule, patch } from './builders';

const counts: Record<string, number> = { 'vmlinux:unique': 1, 'vmlinux:type_show': 17, 'm:dup': 2, 'vmlinux:gone': 0 };
const countSymbol: SymbolCounter = (object, name) => counts[`${object}:${name}`];
const insmodEinval = (name: string) => `insmod: ERROR: could not insert module ${name}.ko: Invalid parameters`;

describe('findObjectSymbol', () => {
  it('resolves a unique symbol with sympos 0 or 1', () => {
    expect(findObjectSymbol(countSymbol, 'vmlinux', 'unique', 0)).toBeNull();
    expect(findObjectSymbol(countSymbol, 'vmlinux', 'unique', 1)).toBeNull();
  });

  it('reports a symbol that is not there', () => {
    expect(findObjectSymbol(countSymbol, 'vmlinux', 'gone', 0)).toBe("livepatch: symbol 'gone' not found in symbol table");
    expect(findObjectSymbol(countSymbol, 'vmlinux', 'gone', 3)).toBe("livepatch: symbol 'gone' not found in symbol table");
  });

  it('reports ambiguity with sympos 0; vmlinux is printed as (null) since objname is NULL', () => {
    expect(findObjectSymbol(countSymbol, 'vmlinux', 'type_show', 0)).toBe(
      "livepatch: unresolvable ambiguity for symbol 'type_show' in object '(null)'",
    );
    expect(findObjectSymbol(countSymbol, 'm', 'dup', 0)).toBe("livepatch: unresolvable ambiguity for symbol 'dup' in object 'm'");
  });

  it('resolves any position up to the count and reports one past it, naming vmlinux', () => {
    expect(findObjectSymbol(countSymbol, 'vmlinux', 'type_show', 17)).toBeNull();
    expect(findObjectSymbol(countSymbol, 'vmlinux', 'type_show', 18)).toBe(
      "livepatch: symbol position 18 for symbol 'type_show' in object 'vmlinux' not found",
    );
    expect(findObjectSymbol(countSymbol, 'vmlinux', 'unique', 2)).toBe(
      "livepatch: symbol position 2 for symbol 'unique' in object 'vmlinux' not found",
    );
  });

  it('resolves a position the build tools wrote from the definition, however often the name occurs, but not a name that is absent', () => {
    expect(findObjectSymbol(countSymbol, 'vmlinux', 'type_show', 0, true)).toBeNull();
    expect(findObjectSymbol(countSymbol, 'vmlinux', 'gone', 0, true)).toBe("livepatch: symbol 'gone' not found in symbol table");
  });

  it('assumes a symbol resolves when the object is unknown', () => {
    expect(findObjectSymbol(countSymbol, 'elsewhere', 'anything', 0)).toBeNull();
    expect(findObjectSymbol(undefined, 'vmlinux', 'gone', 0)).toBeNull();
  });
});

describe('resolution while loading', () => {
  it('refuses the patch with the lookup message; nothing is patched', () => {
    const [r] = simulate([load(patch('lp', { funcs: ['unique', 'type_show'] }))], { countSymbol });
    expect(r).toMatchObject({ ok: false, patches: [], functions: [] });
    expect(r.error).toBe(
      `livepatch: unresolvable ambiguity for symbol 'type_show' in object '(null)'\n${insmodEinval('lp')}`,
    );
  });

  it('takes an explicit position', () => {
    const [r] = simulate([load(patch('lp', { funcs: ['type_show,4'] }))], { countSymbol });
    expect(r.ok).toBe(true);
    expect(r.functions[0]).toMatchObject({ name: 'type_show', sympos: 4, active: 'lp' });
  });

  it('does not resolve objects whose module is not loaded, until the module loads', () => {
    const r = simulate([load(patch('lp', { funcs: ['m:dup'] })), loadModule('m')], { countSymbol, initiallyUnloaded: ['m'] });
    expect(r[0].ok).toBe(true);
    expect(r[1]).toMatchObject({ ok: false });
    expect(r[1].error).toBe(
      [
        "livepatch: unresolvable ambiguity for symbol 'dup' in object 'm'",
        "livepatch: failed to initialize patch 'lp' for module 'm' (-22)",
        "livepatch: patch 'lp' failed for module 'm', refusing to load module 'm'",
        insmodEinval('m'),
      ].join('\n'),
    );
  });
});
