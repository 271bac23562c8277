import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/missing-livepatch-modinfo';
import { SourceText } from '../../../../server/src/edits/sourceText';
import { readFixture } from '../../../helpers/fixtures';
import { context, moduleFixture } from './moduleFixtures';

const ID = 'missing-livepatch-modinfo';

describe('missing-livepatch-modinfo', () => {
  it('reports a livepatch module without MODULE_INFO(livepatch, "Y") at its klp_patch, to be added after its last MODULE_* line', async () => {
    const lp = await moduleFixture(ID, 'bad.c');
    const problems = check.run(context([lp]));
    expect(problems).toHaveLength(1);
    const [p] = problems;
    expect(p).toMatchObject({ code: ID, severity: 'error', file: lp.file });
    expect(p.message).toBe(
      'bad has no MODULE_INFO(livepatch, "Y"): the module loader does not mark it as a livepatch module, so klp_enable_patch() ' +
        'refuses it ("module bad is not marked as a livepatch module", -EINVAL) and loading it fails; add `MODULE_INFO(livepatch, "Y");`',
    );
    const text = readFixture('checks', ID, 'bad.c');
    // The squiggle spans the klp_patch the loader refuses; the line goes after the last MODULE_* line.
    expect(new SourceText(text).slice(p.range)).toBe('static struct klp_patch patch = {\n\t.mod = THIS_MODULE,\n\t.objs = objs,\n};');
    const { insertAt, insertText } = p.data!;
    expect(text.split('\n')[insertAt.line].slice(0, insertAt.character)).toBe('MODULE_AUTHOR("klp-lens tests");');
    expect(insertText).toBe('\nMODULE_INFO(livepatch, "Y");');
    expect(p.related).toEqual([{ location: lp.location, message: 'the klp_patch that klp_enable_patch() would refuse' }]);
  });

  it('is silent with the modinfo line, for a module that is no livepatch, and for diffs and csv files', async () => {
    const good = await moduleFixture(ID, 'good.c');
    const target = await moduleFixture(ID, 'target-module.c');
    expect(target.livepatchModinfo).toBe(false);
    const bad = await moduleFixture(ID, 'bad.c');
    const diff = { ...bad, kind: 'diff' as const, livepatchModinfo: undefined };
    expect(check.run(context([good, target, diff]))).toEqual([]);
  });
});
