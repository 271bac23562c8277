// A failure of the oracle's machinery (a missing package, a build error, a boot that never
// reaches /init): main prints its one-line reason and exits non-zero.
export class OracleError extends Error {}

export function fail(reason: string): never {
  throw new OracleError(reason);
}
