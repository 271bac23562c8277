// Symbol resolution with old_sympos: kernel/livepatch/core.c klp_find_object_symbol().
import { symbolAmbiguous, symbolNotFound, symbolPositionNotFound } from './messages';
import type { SymbolCounter } from './types';

/**
 * The line klp_find_object_symbol() logs when `name` (at `sympos`) does not resolve in
 * `object`, or null when it resolves. Unknown symbol tables count as resolving, and so does a
 * position the build tools wrote from the definition itself (`symposFromBuild`).
 */
export function findObjectSymbol(
  countSymbol: SymbolCounter | undefined,
  object: string,
  name: string,
  sympos: number,
  symposFromBuild = false,
): string | null {
  const count = countSymbol?.(object, name);
  if (count === undefined) return null;
  // klp_find_callback() stops counting at the wanted position, so any count >= sympos
  // resolves; with sympos 0 it stops at the second occurrence.
  if (count === 0) return symbolNotFound(name);
  if (symposFromBuild) return null;
  if (sympos === 0 && count > 1) return symbolAmbiguous(name, object === 'vmlinux' ? null : object);
  if (sympos > count) return symbolPositionNotFound(sympos, name, object);
  return null;
}
