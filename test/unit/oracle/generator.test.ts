// The seeded scenario generator (oracle/src/generator.ts) and the PRNG behind it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatedScenario } from '../../../oracle/src/generator';
import { LIVEPATCH_NAMES } from '../../../oracle/src/modules';
import { poolSymbolCount } from '../../../oracle/src/pool';
import { Prng } from '../../../oracle/src/prng';
import { stepsOf, toSimStep } from '../../../oracle/src/scenario';
import { simulate } from '../../../server/src/simulator/simulate';

/** What templates/livepatch.c builds from its parameters. */
function patchFromArgs(args: string[]) {
  const param = (key: string) => args.find((a) => a.startsWith(`${key}=`))?.slice(key.length + 1);
  const funcs = (param('funcs') ?? '').split(',').map((f) => f.split(':'));
  const objects: Array<{ name: string; funcs: Array<{ name: string; sympos: number }> }> = [];
  for (const [object, name, sympos] of funcs) {
    let obj = objects.find((o) => o.name === object);
    if (!obj) objects.push((obj = { name: object, funcs: [] }));
    obj.funcs.push({ name, sympos: Number(sympos) });
  }
  const states = (param('states') ?? '').split(',').filter(Boolean).map((s) => s.split(':').map(Number));
  return { replace: param('replace') === '1', objects, states: states.map(([id, version]) => ({ id, version })) };
}

describe('generatedScenario', () => {
  it('is the same for the same seed and differs between seeds', () => {
    expect(generatedScenario(7)).toEqual(generatedScenario(7));
    expect(JSON.stringify(generatedScenario(7))).not.toBe(JSON.stringify(generatedScenario(8)));
  });

  it('passes the module exactly the patch it tells the simulator about', () => {
    fc.assert(
      fc.property(fc.nat(100_000), (seed) => {
        for (const step of stepsOf(generatedScenario(seed))) {
          if (step.action !== 'load') continue;
          expect(LIVEPATCH_NAMES).toContain(step.target);
          expect(step.patch).toMatchObject({ name: step.target, ...patchFromArgs(step.args) });
        }
      }),
      { numRuns: 50 },
    );
  });

  it('ends with every livepatch disabled and unloaded, as the simulator sees it', () => {
    fc.assert(
      fc.property(fc.nat(100_000), (seed) => {
        const scenario = generatedScenario(seed);
        const results = simulate(stepsOf(scenario).map(toSimStep), { initiallyUnloaded: scenario.targets, countSymbol: poolSymbolCount });
        expect(results.at(-1)?.patches).toEqual([]);
        expect(scenario.reproduce).toBe(`npm run oracle -- --seed ${seed} --count 1`);
      }),
      { numRuns: 50 },
    );
  });
});

describe('Prng', () => {
  it('repeats its sequence for a seed and stays within the asked bounds', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -50, max: 50 }), fc.nat(50), (seed, min, span) => {
        const a = new Prng(seed);
        const b = new Prng(seed);
        for (let i = 0; i < 20; i++) {
          const x = a.int(min, min + span);
          expect(x).toBe(b.int(min, min + span));
          expect(x).toBeGreaterThanOrEqual(min);
          expect(x).toBeLessThanOrEqual(min + span);
        }
      }),
    );
  });
});
