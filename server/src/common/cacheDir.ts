import { homedir } from 'node:os';
import * as path from 'node:path';

/** klp-lens' cache folder: $XDG_CACHE_HOME/klp-lens, else ~/.cache/klp-lens. */
export function defaultCacheDir(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'klp-lens');
}
