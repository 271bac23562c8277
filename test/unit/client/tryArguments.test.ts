import { expect, it } from 'vitest';
import { tryArguments } from '../../../client/src/tryArguments';

it('runs klp-lens try on the workspace folder, with the settings read from it', () => {
  const base = { cli: '/ext/dist/cli.js', release: '6.1.0-57-amd64', folder: '/ws' };
  expect(tryArguments({ ...base, buildDir: '', series: '' })).toEqual(['/ext/dist/cli.js', 'try', '--vm-kernel', '6.1.0-57-amd64', '/ws']);
  expect(tryArguments({ ...base, buildDir: 'kernel', series: '/abs/series-rhel' })).toEqual([
    '/ext/dist/cli.js', 'try', '--vm-kernel', '6.1.0-57-amd64', '--kernel', '/ws/kernel', '--series', '/abs/series-rhel', '/ws',
  ]);
});
