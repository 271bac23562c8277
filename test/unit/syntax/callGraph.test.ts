import { beforeAll, expect, it } from 'vitest';
import { callGraph } from '../../../server/src/syntax/callGraph';
import { CParser } from '../../../server/src/syntax/treeSitter';

let parser: CParser;
beforeAll(async () => {
  parser = await CParser.create();
});

const source = `
static inline int helper(int x)
{
	return x + 1;
}

#define HELPED(x) \\
	(helper(x) * 2)

static int __init first(void)
{
	/* helper(0) in a comment is no call */
	return helper(1) + "helper(2)"[0];
}

int second(struct s *p)
{
	if (p->helper)
		return HELPED(3);
	return first();
}

SYSCALL_DEFINE1(demo, int, x)
{
	return helper(x);
}
`;

it('lists the functions that call a name, directly or through a macro of the file', () => {
  const graph = callGraph(parser, source)!;
  expect(graph.callersOf('helper')).toEqual(['first', '__do_sys_demo', 'HELPED']);
  expect(graph.callersOf('HELPED')).toEqual(['second']);
  expect(graph.callersOf('first')).toEqual(['second']);
  expect(graph.callersOf('second')).toEqual([]);
});

it('names the functions a token-pasting macro defines where the file invokes it, as its callers', () => {
  const attrs = [
    '#define smi_get_stat(smi, stat) atomic_read(&(smi)->stats[SI_STAT_ ## stat])',
    '#define IPMI_SI_ATTR(name) \\',
    'static ssize_t name##_show(struct device *dev, char *buf) \\',
    '{ \\',
    '	return sysfs_emit(buf, "%u\\n", smi_get_stat(dev_get_drvdata(dev), name)); \\',
    '}',
    'IPMI_SI_ATTR(short_timeouts);',
    'IPMI_SI_ATTR(idles);',
  ].join('\n');
  const graph = callGraph(parser, attrs)!;
  expect(graph.accessorsOf('stats')).toEqual(['smi_get_stat']);
  expect(graph.callersOf('smi_get_stat')).toEqual(['IPMI_SI_ATTR']);
  expect(graph.callersOf('IPMI_SI_ATTR')).toEqual(['short_timeouts_show', 'idles_show']);
});

it('reads the members of a struct the file defines, with their lines, and who accesses them', () => {
  const text = 'struct smi_info {\n\tint intf_num;\n\tunsigned char msg_flags;\n\tbool (*oem_data_avail_handler)(struct smi_info *);\n\tatomic_t stats[SI_NUM_STATS];\n};\nstatic int f(struct smi_info *s) { return s->msg_flags + s->intf_num; }\n';
  const graph = callGraph(parser, text)!;
  expect(graph.membersOf('smi_info')).toEqual([
    { name: 'intf_num', line: 2 },
    { name: 'msg_flags', line: 3 },
    { name: 'oem_data_avail_handler', line: 4 },
    { name: 'stats', line: 5 },
  ]);
  expect(graph.accessorsOf('msg_flags')).toEqual(['f']);
});

it("expands a function named through a macro as each of the file's definitions of the macro names it", () => {
  const tmpl = [
    '#if PTTYPE == 64',
    '\t#define FNAME(name) paging##64_##name',
    '#elif PTTYPE == 32',
    '\t#define FNAME(name) paging##32_##name',
    '#elif PTTYPE == PTTYPE_EPT',
    '\t#define FNAME(name) ept_##name',
    '#endif',
    'static bool FNAME(is_present_gpte)(unsigned long pte)',
    '{',
    '\treturn pte & 1;',
    '}',
    'static int FNAME(walk_addr)(unsigned long pte)',
    '{',
    '\treturn FNAME(is_present_gpte)(pte);',
    '}',
  ].join('\n');
  const graph = callGraph(parser, tmpl)!;
  expect(graph.definitions.map((d) => d.name)).toEqual(['FNAME(is_present_gpte)', 'FNAME(walk_addr)']);
  expect(graph.callersOf('FNAME(is_present_gpte)')).toEqual(['FNAME(walk_addr)']);
  expect(graph.expansionsOf('FNAME(walk_addr)')).toEqual(['paging64_walk_addr', 'paging32_walk_addr', 'ept_walk_addr']);
  expect(graph.expansionsOf('plain')).toEqual(['plain']);
});
