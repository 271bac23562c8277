// SPDX-License-Identifier: GPL-2.0
// A livepatch of klp_oracle_ta whose new function calls ta_value(), an export of the module it
// patches, and jhash(), a function vmlinux does not export and holds twice. As written, it
// depends on klp_oracle_ta and does not link; the oracle applies klp-lens's quick fixes
// (exported-symbol-dependency, unexported-symbol) through the language server, then builds it
// with klp-lens build, which converts the klp symbols into livepatch relocations.
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

int ta_value(void);
u32 jhash(const void *key, u32 length, u32 initval);

static int lpklp_a_show(struct seq_file *m, void *v)
{
	seq_printf(m, "klp-oracle %s %d %08x\n", THIS_MODULE->name, ta_value(), jhash("klp-lens", 8, 0));
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "ta_a_show",
		.new_func = lpklp_a_show,
	}, { }
};

static struct klp_object objs[] = {
	{
		.name = "klp_oracle_ta",
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int lpklp_init(void)
{
	return klp_enable_patch(&patch);
}

static void lpklp_exit(void)
{
}

module_init(lpklp_init);
module_exit(lpklp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("klp-lens oracle: a livepatch whose klp symbols klp-lens declares and converts");
