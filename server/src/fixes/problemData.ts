// Reading what a check put in `problem.data`, opaque to everyone but the check that wrote
// it and its fix: every field is checked before use, none is trusted.
import type { Problem } from '../common/problem';
import type { Position, Range } from '../common/range';

function field(problem: Problem, key: string): unknown {
  const data: unknown = problem.data;
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : undefined;
}

export function stringField(problem: Problem, key: string): string | undefined {
  const value = field(problem, key);
  return typeof value === 'string' ? value : undefined;
}

/** A non-negative integer. */
export function countField(problem: Problem, key: string): number | undefined {
  const value = field(problem, key);
  return isCount(value) ? value : undefined;
}

export function positionField(problem: Problem, key: string): Position | undefined {
  return asPosition(field(problem, key));
}

/** An object field, when `read` accepts it. */
export function recordField<T>(problem: Problem, key: string, read: (value: Record<string, unknown>) => T | undefined): T | undefined {
  return asRecord(field(problem, key), read);
}

export function isPresent(problem: Problem, key: string): boolean {
  return field(problem, key) !== undefined;
}

/** An array field's elements that `read` accepts (the others are dropped). */
export function listField<T>(problem: Problem, key: string, read: (item: Record<string, unknown>) => T | undefined): T[] {
  const value = field(problem, key);
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    const accepted = asRecord(item, read);
    return accepted === undefined ? [] : [accepted];
  });
}

function asRecord<T>(value: unknown, read: (value: Record<string, unknown>) => T | undefined): T | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? read(value as Record<string, unknown>) : undefined;
}

export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function asPosition(value: unknown): Position | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { line, character } = value as Record<string, unknown>;
  return isCount(line) && isCount(character) ? { line, character } : undefined;
}

/** A problem's own range, checked like the data (it crosses the same boundary). */
export function asRange(value: unknown): Range | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { start, end } = value as Record<string, unknown>;
  const s = asPosition(start);
  const e = asPosition(end);
  return s && e ? { start: s, end: e } : undefined;
}
