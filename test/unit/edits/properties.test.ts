// applyEdits on anything: never a throw, and inserts at valid places keep every character.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../../server/src/edits/textEdits';
import { SCENARIO_TEXTS } from '../checks/fixScenarios';
import { cText, range } from './arbitraries';

/** The texts of the checks' fix fixtures, mutated, among others. */
const text = cText(SCENARIO_TEXTS.map(([, t]) => t));

describe('applyEdits', () => {
  it('never throws, and with inserts at distinct valid places keeps every character of the text', () => {
    fc.assert(
      fc.property(text, fc.array(fc.record({ range, newText: fc.string() })), (t, edits) => {
        applyEdits(t, edits);
        const inserts = edits.map((e) => ({ range: { start: e.range.start, end: e.range.start }, newText: 'x' }));
        expect(applyEdits(t, inserts).length).toBe(t.length + inserts.length);
      }),
    );
  });
});
