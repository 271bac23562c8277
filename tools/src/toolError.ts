// A failure of the tooling's machinery (a missing package, a download, a build error, a boot
// that never reaches /init): the command (the oracle, the editor commands) prints its one-line
// reason and exits non-zero; any other exception is a bug.
export class ToolError extends Error {}

export function fail(reason: string): never {
  throw new ToolError(reason);
}
