import type { Location, Range } from './range';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedInformation {
  location: Location;
  message: string;
}

/**
 * A finding: from a check (code = the check id) or from reading an input
 * (code = 'unreadable-input' or 'parse-error'). The core never throws on bad
 * input; it returns results plus problems. `D` is the data of the check that
 * reports it (each check declares its own).
 */
export interface Problem<D = unknown> {
  file: string;
  range: Range;
  severity: Severity;
  code: string;
  message: string;
  related?: RelatedInformation[];
  /** Machine-readable facts, typed by the check that writes them, for its quick fix and tests. */
  data?: D;
}

export function problem<D = unknown>(
  code: string,
  severity: Severity,
  at: Location,
  message: string,
  extra: Pick<Problem<D>, 'related' | 'data'> = {},
): Problem<D> {
  return { file: at.file, range: at.range, severity, code, message, ...extra };
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** Turns anything thrown into a one-line message. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0];
  return String(err).split('\n')[0];
}
