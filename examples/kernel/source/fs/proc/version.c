// SPDX-License-Identifier: GPL-2.0
/* A fake /proc/version for the Livepatch Lens example. */
#include <linux/init.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>

static int
version_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "Linux version %s\n", utsname()->release);
	return 0;
}

static int __init proc_version_init(void)
{
	proc_create_single("version", 0, NULL, version_proc_show);
	return 0;
}
fs_initcall(proc_version_init);
