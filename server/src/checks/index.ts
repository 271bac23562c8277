// The registry: every check, in the order the README lists them.
import type { Check } from './check';
import { check as ambiguousSymbol } from './ambiguous-symbol';
import { check as droppedFunction } from './dropped-function';
import { check as duplicateFunction } from './duplicate-function';
import { check as exportedSymbolDependency } from './exported-symbol-dependency';
import { check as incompatibleState } from './incompatible-state';
import { check as inconsistentSympos } from './inconsistent-sympos';
import { check as initFunction } from './init-function';
import { check as inlineFunction } from './inline-function';
import { check as livepatchExport } from './livepatch-export';
import { check as missingLivepatchModinfo } from './missing-livepatch-modinfo';
import { check as missingReplace } from './missing-replace';
import { check as missingTerminator } from './missing-terminator';
import { check as moduleJumpLabel } from './module-jump-label';
import { check as objectNamedVmlinux } from './object-named-vmlinux';
import { check as onceMacro } from './once-macro';
import { check as overlappingFunction } from './overlapping-function';
import { check as staticLocalChange } from './static-local-change';
import { check as structLayoutChange } from './struct-layout-change';
import { check as symposNotFound } from './sympos-not-found';
import { check as unknownObject } from './unknown-object';
import { check as unknownSymbol } from './unknown-symbol';

export const allChecks: readonly Check[] = [
  // the series and the kernel's symbols
  exportedSymbolDependency,
  overlappingFunction,
  missingReplace,
  droppedFunction,
  incompatibleState,
  ambiguousSymbol,
  symposNotFound,
  unknownSymbol,
  inconsistentSympos,
  duplicateFunction,
  // hand-written modules
  livepatchExport,
  missingLivepatchModinfo,
  missingTerminator,
  objectNamedVmlinux,
  unknownObject,
  // authoring pitfalls in diffs
  initFunction,
  inlineFunction,
  structLayoutChange,
  staticLocalChange,
  onceMacro,
  moduleJumpLabel,
];

