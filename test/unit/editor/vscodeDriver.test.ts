// The pure part of the end-to-end driver: how the Problems panel writes a marker's position.
import { describe, expect, it } from 'vitest';
import { parseMarkerPosition } from '../../e2e/vscodeDriver';

describe('parseMarkerPosition', () => {
  it('reads the 1-based line and column of a marker row', () => {
    expect(parseMarkerPosition('[Ln 14, Col 6]')).toEqual({ line: 14, column: 6 });
    expect(parseMarkerPosition('klp-lens(missing-replace)[Ln 41, Col 33]')).toEqual({ line: 41, column: 33 });
  });

  it('finds none in a file row or related location without one', () => {
    expect(parseMarkerPosition('lp-cdrom.c')).toBeUndefined();
    expect(parseMarkerPosition('[Ln x, Col 1]')).toBeUndefined();
  });
});
