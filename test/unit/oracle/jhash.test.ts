// oracle/src/jhash.ts against include/linux/jhash.h compiled with gcc (values printed by the
// header's jhash() over these keys).
import { expect, it } from 'vitest';
import { jhash } from '../../../oracle/src/jhash';

it('computes what the kernel header computes', () => {
  const keys: Array<[string, number]> = [['klp-lens', 0], ['', 0], ['a', 0], ['abcdefghijklm', 7], ['0123456789abcdefghijklmnopqrstuvwxyz', 0]];
  expect(keys.map(([k, init]) => jhash(new TextEncoder().encode(k), init).toString(16).padStart(8, '0'))).toEqual(EXPECTED);
});

const EXPECTED = ['3f8dd29e', 'deadbeef', '58d68708', 'f7a1f3b0', '2f94719a'];
