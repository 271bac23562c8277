// The modules every oracle run builds: two target modules, the generic livepatches of the
// generated and sympos scenarios, the livepatch that uses a target's export, and the
// kernel's own selftest modules (read from ../shared at run time).
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ModuleSource } from './build';
import { SHARED_LINUX, TEMPLATES } from './paths';

/** Target modules: klp_oracle_<id>, each with <id>_a_show, <id>_b_show and dup_show twice. */
export const TARGET_IDS = ['ta', 'tb'] as const;
export const targetName = (id: string) => `klp_oracle_${id}`;

/** The generic livepatch (templates/livepatch.c) under these names. */
export const LIVEPATCH_NAMES = ['klp_oracle_lp0', 'klp_oracle_lp1', 'klp_oracle_lp2', 'klp_oracle_lp3', 'klp_oracle_lp4', 'klp_oracle_lp5'];

export const LPDEP = 'klp_oracle_lpdep';

/** The selftest modules the replayed scripts load, those of them a tree has (selftestModules()). */
const SELFTEST_MODULES = [
  'test_klp_atomic_replace',
  'test_klp_callbacks_busy',
  'test_klp_callbacks_demo',
  'test_klp_callbacks_demo2',
  'test_klp_callbacks_mod',
  'test_klp_livepatch',
  'test_klp_state',
  'test_klp_state2',
  'test_klp_state3',
  // 6.12's "atomic replace livepatch" test (test-livepatch.sh); not in 6.1's tree.
  'test_klp_syscall',
];

/** The selftest modules of `tree` the oracle builds. */
export const selftestModules = (tree: SelftestTree) => SELFTEST_MODULES.filter((name) => existsSync(path.join(tree.modules, `${name}.c`)));

export const template = (file: string) => readFileSync(path.join(TEMPLATES, file), 'utf8');

/** Where a kernel's livepatch selftests are: its test modules and its scripts. */
export interface SelftestTree {
  modules: string;
  scripts: string;
}

/** A kernel source tree's: the test modules are in lib/livepatch/ in 6.1's tree, in the scripts' test_modules/ in 6.12's (moved in between). */
export function selftestsOfTree(tree: string): SelftestTree {
  const scripts = path.join(tree, 'tools', 'testing', 'selftests', 'livepatch');
  const moved = path.join(scripts, 'test_modules');
  return { modules: existsSync(moved) ? moved : path.join(tree, 'lib', 'livepatch'), scripts };
}

/** Debian 12's 6.1 selftests, in ../shared. */
export const SHARED_SELFTESTS: SelftestTree = selftestsOfTree(SHARED_LINUX);

export const haveSelftests = (tree: SelftestTree) => existsSync(path.join(tree.modules, 'test_klp_livepatch.c'));

/** The modules every run builds, with the selftests' of `selftests` when given. */
export function moduleSources(selftests?: SelftestTree): ModuleSource[] {
  const sources: ModuleSource[] = TARGET_IDS.map((id) => ({
    name: targetName(id),
    files: {
      [`${id}_main.c`]: template('target_main.c').replaceAll('@ID@', id),
      [`${id}_dup.c`]: template('target_dup.c').replaceAll('@ID@', id),
    },
  }));
  for (const name of LIVEPATCH_NAMES) sources.push({ name, files: { [`${name}.c`]: template('livepatch.c') } });
  sources.push({ name: LPDEP, files: { [`${LPDEP}.c`]: template('lpdep.c') } });
  if (selftests) {
    for (const name of selftestModules(selftests)) {
      sources.push({ name, files: { [`${name}.c`]: readFileSync(path.join(selftests.modules, `${name}.c`), 'utf8') } });
    }
  }
  return sources;
}
