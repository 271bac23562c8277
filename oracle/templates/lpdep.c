// SPDX-License-Identifier: GPL-2.0
// A livepatch of klp_oracle_ta whose new function calls ta_value(), which klp_oracle_ta
// exports: an ordinary relocation to a module export, so modpost writes
// "depends: klp_oracle_ta" and the module loader pins klp_oracle_ta while this is loaded.
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

int ta_value(void);

static int lpdep_a_show(struct seq_file *m, void *v)
{
	seq_printf(m, "klp-oracle %s %d\n", THIS_MODULE->name, ta_value());
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "ta_a_show",
		.new_func = lpdep_a_show,
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

static int lpdep_init(void)
{
	return klp_enable_patch(&patch);
}

static void lpdep_exit(void)
{
}

module_init(lpdep_init);
module_exit(lpdep_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("klp-lens oracle: a livepatch that uses an export of the module it patches");
