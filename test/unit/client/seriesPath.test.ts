import { expect, it } from 'vitest';
import { isConfiguredSeries } from '../../../client/src/seriesPath';

it('knows the series file the setting names, relative to the workspace folder or absolute', () => {
  expect(isConfiguredSeries('/ws/series-rhel', '/ws', 'series-rhel')).toBe(true);
  expect(isConfiguredSeries('/ws/sub/series', '/ws', 'sub/series')).toBe(true);
  expect(isConfiguredSeries('/etc/series', '/ws', '/etc/series')).toBe(true);
  expect(isConfiguredSeries('/ws/series', '/ws', 'series-rhel')).toBe(false);
  expect(isConfiguredSeries('/ws/series', '/ws', '')).toBe(false);
});
