// Arbitrary C-like texts and ranges, for the property tests of edits and of the checks' fixes:
// real texts mutated with the pieces of C the fixes look for, and positions anywhere (negative,
// fractional, NaN) so that clamping and refusals are run.
import fc from 'fast-check';

/** Pieces of the C the fixes look for, so that random texts reach their deeper paths. */
export const C_PIECES = ['{', '}', ',', ';', '\n', '\r\n', '\t', ' ', '"vmlinux"', '"type_show"', '.name = ', '.old_name = ', '.old_sympos = 4', '.replace = false',
  '#include <x.h>\n', '#ifdef X\n', '\\\n', '/*', '*/', '//', 'cdrom_check_events', 'KLP_RELOC_SYMBOL', 'MODULE_LICENSE("GPL");', 'static int f(void)'];

export const count = fc.oneof(fc.nat({ max: 60 }), fc.integer({ min: -3, max: 3 }), fc.constant(Number.NaN), fc.double());
export const position = fc.record({ line: count, character: count });
export const range = fc.record({ start: position, end: position });

/** A few places where characters are deleted and C pieces inserted. */
export const cuts = fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.constantFrom(...C_PIECES, '')), { maxLength: 4 });

export function mutate(text: string, edits: Array<[number, number, string]>): string {
  return edits.reduce((t, [at, drop, insert]) => t.slice(0, at % (t.length + 1)) + insert + t.slice((at % (t.length + 1)) + drop), text);
}

/** Any string, C pieces, or one of `samples` (real texts), mutated. */
export function cText(samples: string[]): fc.Arbitrary<string> {
  const mutated = fc.tuple(fc.constantFrom(...samples), cuts).map(([text, edits]) => mutate(text, edits));
  return fc.oneof(fc.string(), fc.array(fc.constantFrom(...C_PIECES), { maxLength: 60 }).map((p) => p.join('')), mutated);
}
