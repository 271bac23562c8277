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
