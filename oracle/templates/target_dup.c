// SPDX-License-Identifier: GPL-2.0
// The second definition of the static dup_show of klp_oracle_@ID@ (see @ID@_main.c).
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

static int dup_show(struct seq_file *m, void *v)
{
	seq_printf(m, "original %s dup2\n", THIS_MODULE->name);
	return 0;
}

int @ID@_dup_register(void)
{
	return proc_create_single(KBUILD_MODNAME "_dup2", 0444, NULL, dup_show) ? 0 : -ENOMEM;
}

void @ID@_dup_unregister(void)
{
	remove_proc_entry(KBUILD_MODNAME "_dup2", NULL);
}
