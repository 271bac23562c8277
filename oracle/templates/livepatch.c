// SPDX-License-Identifier: GPL-2.0
// The oracle's generic livepatch: what it patches comes from module parameters, so that
// one build serves every generated scenario. Every patched function is a seq_file show
// function; its replacement prints "klp-oracle <this module>", which tells the harness
// which implementation runs.
//
//   funcs=OBJ:NAME:SYMPOS,...   OBJ is vmlinux or a module name (objects in first-seen order)
//   states=ID:VERSION,...       struct klp_state entries
//   replace=0|1
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#define MAX_OBJS 8
#define MAX_FUNCS 16
#define MAX_STATES 8

static char *funcs;
module_param(funcs, charp, 0);
static char *states;
module_param(states, charp, 0);
static bool replace;
module_param(replace, bool, 0);

static int klp_oracle_show(struct seq_file *m, void *v)
{
	seq_printf(m, "klp-oracle %s\n", THIS_MODULE->name);
	return 0;
}

static struct klp_func func_table[MAX_OBJS][MAX_FUNCS + 1];
static struct klp_object obj_table[MAX_OBJS + 1];
static struct klp_state state_table[MAX_STATES + 1];

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = obj_table,
	.states = state_table,
};

/* The object called `name` (NULL for vmlinux), added at the end when new. */
static struct klp_object *object_for(const char *name)
{
	int i;

	for (i = 0; i < MAX_OBJS && obj_table[i].funcs; i++) {
		const char *have = obj_table[i].name;

		if ((!have && !name) || (have && name && !strcmp(have, name)))
			return &obj_table[i];
	}
	if (i == MAX_OBJS)
		return NULL;
	obj_table[i].name = name;
	obj_table[i].funcs = func_table[i];
	return &obj_table[i];
}

static int parse_funcs(char *text)
{
	char *entry;

	while ((entry = strsep(&text, ",")) != NULL) {
		char *obj = strsep(&entry, ":");
		char *name = strsep(&entry, ":");
		struct klp_object *o;
		struct klp_func *f;
		unsigned long sympos;

		if (!obj || !name || !entry || kstrtoul(entry, 10, &sympos))
			return -EINVAL;
		o = object_for(strcmp(obj, "vmlinux") ? obj : NULL);
		if (!o)
			return -E2BIG;
		for (f = o->funcs; f->old_name; f++)
			;
		if (f - o->funcs == MAX_FUNCS)
			return -E2BIG;
		f->old_name = name;
		f->new_func = klp_oracle_show;
		f->old_sympos = sympos;
	}
	return 0;
}

static int parse_states(char *text)
{
	char *entry;
	int n = 0;

	while (text && *text && (entry = strsep(&text, ",")) != NULL) {
		char *id = strsep(&entry, ":");
		unsigned long v_id;
		unsigned int version;

		if (n == MAX_STATES || !entry || kstrtoul(id, 10, &v_id) || kstrtouint(entry, 10, &version))
			return -EINVAL;
		state_table[n].id = v_id;
		state_table[n].version = version;
		n++;
	}
	return 0;
}

static int klp_oracle_init(void)
{
	int ret;

	if (!funcs)
		return -EINVAL;
	ret = parse_funcs(funcs);
	if (!ret)
		ret = parse_states(states);
	if (ret)
		return ret;
	patch.replace = replace;
	return klp_enable_patch(&patch);
}

static void klp_oracle_exit(void)
{
}

module_init(klp_oracle_init);
module_exit(klp_oracle_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("klp-lens oracle: a livepatch configured by its parameters");
