import type { Problem } from '../common/problem';
import type { Location } from '../common/range';

/** Per-line options of a series entry that names a livepatch. */
export interface SeriesPatchOptions {
  /** -R, --non-replace (kpatch-build) or --no-replace (klp-build): replace off. */
  noReplace: boolean;
  /** name=<module>: the livepatch module's name. */
  name?: string;
}

export type SeriesEntry =
  | { kind: 'patch'; path: string; options: SeriesPatchOptions; location: Location }
  | {
      kind: 'action';
      action: 'disable' | 'unload' | 'load-module' | 'unload-module';
      target: string;
      location: Location;
    };

/** A quilt-style series file: the load order. */
export interface Series {
  file: string;
  entries: SeriesEntry[];
  problems: Problem[];
}
