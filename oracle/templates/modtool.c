// SPDX-License-Identifier: GPL-2.0
// insmod and rmmod for the oracle's initramfs, one system call each: busybox's insmod
// retries a failed finit_module() with init_module(), which runs a livepatch's init
// (and logs its errors) twice.
//
//   modtool insert FILE.ko [PARAM=VALUE...]
//   modtool remove NAME
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int insert(const char *file, int argc, char **argv)
{
	char params[4096] = "";
	size_t used = 0;
	int fd, i;

	for (i = 0; i < argc; i++) {
		int n = snprintf(params + used, sizeof(params) - used, "%s%s", i ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(params) - used) {
			fprintf(stderr, "insmod: ERROR: parameters too long\n");
			return 1;
		}
		used += n;
	}
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, params, 0) != 0) {
		fprintf(stderr, "insmod: ERROR: could not insert module %s: %s\n", file, strerror(errno));
		return 1;
	}
	return 0;
}

static int remove_module(const char *name)
{
	if (syscall(SYS_delete_module, name, O_NONBLOCK) != 0) {
		fprintf(stderr, "rmmod: ERROR: could not remove module %s: %s\n", name, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "insert"))
		return insert(argv[2], argc - 3, argv + 3);
	if (argc == 3 && !strcmp(argv[1], "remove"))
		return remove_module(argv[2]);
	fprintf(stderr, "usage: modtool insert FILE [PARAM=VALUE...] | modtool remove NAME\n");
	return 2;
}
