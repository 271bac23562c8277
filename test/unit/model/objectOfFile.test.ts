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
    expect(definedInFile('net/sctp/sm.c', FILE)).toEqual({
      symbols: [
        { name: 'helper', isStatic: true },
        { name: 'sctp_do_sm', isStatic: false },
      ],
      exports: ['sctp_do_sm'],
    });
  });

  it('reads the variables defined at file scope, not declarations', () => {
    const text = [
      'static const struct ni_route ni_6070e_routes[] = {',
      '	{ 1, 2 },',
      '};',
      'int ni_count __read_mostly = 1;',
      'static DEFINE_MUTEX(ni_lock);',
      'DEFINE_PER_CPU(int, ni_counter);',
      'extern int elsewhere;',
      'typedef int ni_t;',
      'struct ni_route;',
      'struct ni_route {',
      '	int a;',
      '};',
      'static int ni_probe(struct device *dev);',
      '',
    ].join('\n');
    expect(definedInFile('x.c', text).symbols).toEqual([
      { name: 'ni_6070e_routes', isStatic: true },
      { name: 'ni_count', isStatic: false },
      { name: 'ni_lock', isStatic: true },
      { name: 'ni_counter', isStatic: false },
    ]);
  });

  it('reads the symbols an assembly file starts (include/linux/linkage.h) and exports', () => {
    const text = 'SYM_FUNC_START(aesni_enc)\n\tret\nSYM_FUNC_END(aesni_enc)\nSYM_FUNC_START_LOCAL(_aesni_enc1)\nENTRY(old_style)\nEXPORT_SYMBOL_GPL(aesni_enc)\n';
    expect(definedInFile('arch/x86/crypto/aesni-intel_asm.S', text)).toEqual({
      symbols: [
        { name: 'aesni_enc', isStatic: false },
        { name: '_aesni_enc1', isStatic: true },
        { name: 'old_style', isStatic: false },
      ],
      exports: ['aesni_enc'],
    });
  });
});

describe('objectOf', () => {
  const k = kernelWith({ symbols: { vmlinux: ['schedule'], sctp: ['helper', 'sctp_do_sm'] } });

  it('takes kbuild\'s object or its "not built"; without a .config, the artifacts when kbuild cannot tell', () => {
    const resolve = (object: string, notBuilt?: true) => (file: string) => ({ file, object, reason: 'kbuild', ...(notBuilt ? { notBuilt } : {}) });
    const answer = (kbuild: ReturnType<typeof resolve> | undefined) => objectOf(new Memo(), { ...k, kbuild: kbuild && { resolve: kbuild } }, 'net/sctp/sm.c', () => definedInFile('net/sctp/sm.c', FILE));
    expect(answer(resolve('vmlinux'))).toMatchObject({ object: 'vmlinux', reason: 'kbuild' });
    expect(answer(resolve('unknown', true))).toMatchObject({ object: 'unknown', notBuilt: true });
    expect(answer(resolve('unknown'))).toMatchObject({ object: 'sctp', reason: expect.stringContaining('symbol table of sctp') });
    expect(answer(undefined).object).toBe('sctp');
  });

  it('with a .config, kbuild\'s unknown stands: a file no list names may be built into nothing (irq_32.c has irq_64.c\'s functions)', () => {
    const configured = { ...k, config: new Map([['CONFIG_X86', 'y']]), kbuild: { resolve: (file: string) => ({ file, object: 'unknown', reason: 'not in net/sctp/Makefile' }) } };
    expect(objectOf(new Memo(), configured, 'net/sctp/sm.c', () => definedInFile('net/sctp/sm.c', FILE))).toMatchObject({ object: 'unknown', reason: 'not in net/sctp/Makefile' });
  });

  it('keeps kbuild\'s reason beside the artifacts\' when neither decides', () => {
    const none = kernelWith({ symbols: { vmlinux: ['schedule'] } });
    const r = objectOf(new Memo(), { ...none, kbuild: { resolve: (file) => ({ file, object: 'unknown', reason: 'needs .config' }) } }, 'net/sctp/sm.c', () => definedInFile('net/sctp/sm.c', FILE));
    expect(r).toMatchObject({ object: 'unknown', reason: 'needs .config; no symbol table holds its symbols (helper, sctp_do_sm)' });
  });
});
