// Access to ../shared (real kernel artifacts and the corpus). Tests that use it
// skip with a clear message when it is absent, so a plain clone still passes.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe } from 'vitest';

export const SHARED = path.resolve(__dirname, '../../../shared');
export const HAS_SHARED = existsSync(path.join(SHARED, 'README.md'));
export const DEBIAN_KERNEL = path.join(SHARED, 'kernel/debian-6.1.0-56-amd64');
export const CORPUS = path.join(SHARED, 'corpus');

if (!HAS_SHARED) {
  console.warn(`[klp-lens tests] ${SHARED} is absent: tests on real kernel data and the corpus are skipped`);
}

/** A describe block that runs only when ../shared is present. */
export const describeShared = HAS_SHARED ? describe : describe.skip;

export function sharedPath(...parts: string[]): string {
  return path.join(SHARED, ...parts);
}
