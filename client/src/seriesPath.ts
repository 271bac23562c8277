// Which file the klpLens.series setting names (a pure function: test/unit/client).
import * as path from 'node:path';

/** Whether `file` is the series file the setting names, a relative setting read against the workspace folder. */
export function isConfiguredSeries(file: string, folder: string | undefined, setting: string): boolean {
  if (setting === '') return false;
  return path.resolve(folder ?? '/', setting) === path.resolve(file);
}
