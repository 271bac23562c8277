// A patch diff that changes a file the build tools refuse to build a livepatch from.
//
// kpatch-build verify_patch_files(): "unsupported patch to lib/" and "unsupported patch to
// assembly" (*.S), then "Unsupported changes detected". The kernel's klp-build
// (scripts/livepatch/klp-build check_unsupported_patches()): lib/*, */vdso/*, */realmode/rm/*
// and *.S: "unsupported patch to <file>".
import { problem, type Problem } from '../common/problem';
import type { KernelContext } from '../kernel/types';
import type { Livepatch } from '../model/livepatch';
import type { ParsedFile } from '../syntax/diffTypes';
import { refusesThePatch, type StaticCheck } from './check';

export interface UnsupportedFileData {
  file: string;
  /** Which tools refuse it. */
  refusedBy: Array<'kpatch-build' | 'klp-build'>;
}

/** Why each kind of file cannot be livepatched, and which tools say so. */
const RULES: Array<{ test: (path: string) => boolean; why: string; refusedBy: UnsupportedFileData['refusedBy'] }> = [
  {
    test: (p) => p.startsWith('lib/'),
    why: 'lib/ code goes into lib.a and is linked in only where something uses it, so the tools cannot tell which object a change lands in',
    refusedBy: ['kpatch-build', 'klp-build'],
  },
  { test: (p) => p.endsWith('.S'), why: 'assembly has no function sections or fentry calls to compare and redirect', refusedBy: ['kpatch-build', 'klp-build'] },
  { test: (p) => p.includes('/vdso/'), why: 'the vDSO runs in user space, out of the livepatch core\'s reach', refusedBy: ['klp-build'] },
  { test: (p) => p.includes('/realmode/rm/'), why: 'real-mode code runs before the kernel, out of the livepatch core\'s reach', refusedBy: ['klp-build'] },
];

export const check: StaticCheck<UnsupportedFileData> = {
  id: 'unsupported-file',
  severity: 'error',
  title: 'The patch diff changes a file the build tools refuse (lib/, *.S, vDSO, real-mode code)',
  doc:
    'kpatch-build refuses a patch that changes a file under `lib/` or an assembly file (`*.S`): "unsupported ' +
    'patch to lib/", "unsupported patch to assembly", then "Unsupported changes detected". The kernel\'s ' +
    'klp-build refuses `lib/*`, `*/vdso/*`, `*/realmode/rm/*` and `*.S` ("unsupported patch to <file>"). ' +
    'None of these can be livepatched: `lib/` code is archived in lib.a and linked only where used, assembly has no ' +
    'function sections to compare, the vDSO runs in user space and real-mode code before the kernel. ' +
    'Patch the C callers instead, or leave the change to the next reboot.',
  run(ctx) {
    const problemsIn = ctx.memo.get(problemsPerFile, ctx.kernel);
    return ctx.livepatches.flatMap(problemsIn);
  },
  // kpatch-build and klp-build make no module of the patch.
  verdict: refusesThePatch,
};

/**
 * Per session: each livepatch's problems, made once (an edit of one livepatch of a series reads
 * that one's files again, not every other's), from each file's, made once too (a diff's file is
 * the same object while its text and place in the patch are, syntax/diff.ts PatchParseCache:
 * the edited patch's other files keep their problems, the same objects).
 */
const problemsPerFile = (_kernel: KernelContext) => {
  const ofLivepatch = new WeakMap<Livepatch, Problem<UnsupportedFileData>[]>();
  const ofFile = new WeakMap<ParsedFile, Problem<UnsupportedFileData>[]>();
  const fileProblems = (file: ParsedFile) => {
    let found = ofFile.get(file);
    if (!found) ofFile.set(file, (found = problemsOf(file)));
    return found;
  };
  return (lp: Livepatch) => {
    let found = ofLivepatch.get(lp);
    if (!found) ofLivepatch.set(lp, (found = (lp.diff?.files ?? []).flatMap(fileProblems)));
    return found;
  };
};

function problemsOf(file: ParsedFile): Problem<UnsupportedFileData>[] {
  const rule = RULES.find((r) => r.test(file.path));
  if (!rule) return [];
  return [
    problem(
      check.id,
      check.severity,
      file.location,
      `${rule.refusedBy.join(' and ')} ${rule.refusedBy.length > 1 ? 'refuse' : 'refuses'} a patch to ${file.path}: ${rule.why}`,
      { data: { file: file.path, refusedBy: rule.refusedBy } },
    ),
  ];
}
