// What the compiler said a patch diff changes (the compile check, compiler/compileCheck.ts),
// as the model takes it: for the patch text it was computed for, the functions the build
// patches in each object. When the author asked for it and the patch has not changed since,
// the livepatch's functions are the compiler's, not the prediction's (model/fromDiff.ts), and
// where the two differ is said (checks/compiler-disagreement.ts).
import type { Location } from '../common/range';

export interface CompilerAnswer {
  /** The patch text compiled: the answer holds while the patch reads the same. */
  patchText: string;
  objects: CompiledObjectAnswer[];
  /** Why nothing could be compiled (tools missing, the patch does not apply ...). */
  error?: string;
}

export interface CompiledObjectAnswer {
  /** The source file compiled (`drivers/cdrom/cdrom.c`). */
  source: string;
  /** vmlinux or the module it is linked into. */
  target: string;
  /** The functions the build patches (the compile check's `patched`). */
  patched: string[];
  /** Why this object could not be compared (does not compile ...). */
  error?: string;
}

/** One function on which the prediction and the compiler differ. */
export interface Disagreement {
  object: string;
  name: string;
  /** The hunk function it comes from (extra), or the patched file's header (missed). */
  location: Location;
}

/** Where the prediction and the compiler differ, for a livepatch read with the compiler's answer. */
export interface CompilerVerdict {
  /** Functions the compiler changed that the prediction lacks: they are patched. */
  missed: Disagreement[];
  /** Functions the prediction had that the compiler did not change: they are not patched. */
  extra: Disagreement[];
  /** What could not be compiled, where it shows. */
  errors: { message: string; location: Location }[];
}
