import * as path from 'node:path';
import { readFileSync } from 'node:fs';

export const FIXTURES = path.resolve(__dirname, '../fixtures');

export function fixturePath(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

export function readFixture(...parts: string[]): string {
  return readFileSync(fixturePath(...parts), 'utf8');
}
