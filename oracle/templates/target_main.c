// SPDX-License-Identifier: GPL-2.0
// A target module for the oracle (klp_oracle_@ID@): loads without hardware, and each
// function a livepatch may patch is the show function of a /proc file named after it,
// so reading the file calls the function and shows which implementation runs.
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

int @ID@_dup_register(void);
void @ID@_dup_unregister(void);

/* An export of this module: a livepatch that calls it depends on the module. */
noinline int @ID@_value(void)
{
	return 42;
}
EXPORT_SYMBOL_GPL(@ID@_value);

static int @ID@_a_show(struct seq_file *m, void *v)
{
	seq_printf(m, "original %s a\n", THIS_MODULE->name);
	return 0;
}

static int @ID@_b_show(struct seq_file *m, void *v)
{
	seq_printf(m, "original %s b\n", THIS_MODULE->name);
	return 0;
}

/* Defined again in @ID@_dup.c: the name occurs twice in this module's symbol table. */
static int dup_show(struct seq_file *m, void *v)
{
	seq_printf(m, "original %s dup1\n", THIS_MODULE->name);
	return 0;
}

static int __init target_init(void)
{
	if (!proc_create_single(KBUILD_MODNAME "_a", 0444, NULL, @ID@_a_show) ||
	    !proc_create_single(KBUILD_MODNAME "_b", 0444, NULL, @ID@_b_show) ||
	    !proc_create_single(KBUILD_MODNAME "_dup1", 0444, NULL, dup_show) ||
	    @ID@_dup_register()) {
		remove_proc_entry(KBUILD_MODNAME "_a", NULL);
		remove_proc_entry(KBUILD_MODNAME "_b", NULL);
		remove_proc_entry(KBUILD_MODNAME "_dup1", NULL);
		return -ENOMEM;
	}
	return 0;
}

static void __exit target_exit(void)
{
	@ID@_dup_unregister();
	remove_proc_entry(KBUILD_MODNAME "_dup1", NULL);
	remove_proc_entry(KBUILD_MODNAME "_b", NULL);
	remove_proc_entry(KBUILD_MODNAME "_a", NULL);
}

module_init(target_init);
module_exit(target_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("klp-lens oracle: a module for late module patching");
