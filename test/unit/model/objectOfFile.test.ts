// The object of a source file: kbuild first, then the artifacts from what the file defines.
import { describe, expect, it } from 'vitest';
import { Memo } from '../../../server/src/common/memo';
import { definedInFile, objectOf } from '../../../server/src/model/objectOfFile';
import { kernel as kernelWith } from '../../helpers/builders';

const FILE = [
  '#define DECLARE_PRIMITIVE(name) \\',
  'int sctp_primitive_ ## name(struct net *net) \\',
  '{ \\',
  '\treturn 0; \\',
  '}',
  '',
  'static int helper(int x)',
  '{',
  '\treturn x;',
  '}',
  '',
  'int sctp_do_sm(void)',
  '{',
  '\treturn helper(1);',
  '}',
  'EXPORT_SYMBOL_GPL(sctp_do_sm);',
  '',
].join('\n');

describe('definedInFile', () => {
  it('reads the functions kernel style defines and the exports, not the bodies of macros', () => {
    expect(definedInFile(FILE)).toEqual({
      functions: [
        { name: 'helper', isStatic: true },
        { name: 'sctp_do_sm', isStatic: false },
      ],
      exports: ['sctp_do_sm'],
    });
  });
});

describe('objectOf', () => {
  const k = kernelWith({ symbols: { vmlinux: ['schedule'], sctp: ['helper', 'sctp_do_sm'] } });

  it('takes kbuild\'s object or its "not built"; otherwise the artifacts', () => {
    const resolve = (object: string, notBuilt?: true) => (file: string) => ({ file, object, reason: 'kbuild', ...(notBuilt ? { notBuilt } : {}) });
    const answer = (kbuild: ReturnType<typeof resolve> | undefined) => objectOf(new Memo(), { ...k, kbuild: kbuild && { resolve: kbuild } }, 'net/sctp/sm.c', () => definedInFile(FILE));
    expect(answer(resolve('vmlinux'))).toMatchObject({ object: 'vmlinux', reason: 'kbuild' });
    expect(answer(resolve('unknown', true))).toMatchObject({ object: 'unknown', notBuilt: true });
    expect(answer(resolve('unknown'))).toMatchObject({ object: 'sctp', reason: expect.stringContaining('symbol table of sctp') });
    expect(answer(undefined).object).toBe('sctp');
  });

  it('keeps kbuild\'s reason beside the artifacts\' when neither decides', () => {
    const none = kernelWith({ symbols: { vmlinux: ['schedule'] } });
    const r = objectOf(new Memo(), { ...none, kbuild: { resolve: (file) => ({ file, object: 'unknown', reason: 'needs .config' }) } }, 'net/sctp/sm.c', () => definedInFile(FILE));
    expect(r).toMatchObject({ object: 'unknown', reason: 'needs .config; no symbol table holds its functions (helper, sctp_do_sm)' });
  });
});
