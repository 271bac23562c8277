#!/bin/busybox sh
# /init of the oracle's initramfs: runs the steps in /oracle/steps one by one and prints,
# after each, the kernel's state as "@@" lines on the serial console (see oracle/src/serial.ts).
#
# Step file lines:
#   kallsyms                   print every line of /proc/kallsyms (@@KSYM)
#   symbols NAME...            print the vmlinux lines of /proc/kallsyms for these names, and
#                              what tells which definitions ftrace can attach to (@@FTRACE-*)
#   scenario NAME              start a scenario (its observations are reset)
#   livepatch NAME             a livepatch module of the scenario (waited on when it is freed)
#   observe KEY PATH           after each step, print the first line of PATH
#   step ACTION NAME [ARG...]  load | disable | unload | load-module | unload-module, then a
#                              report; "step-nowait" does not wait for the transition to finish
#   preload MODULE             insert /oracle/modules/MODULE.ko before the steps (no report)
#   param MODULE PARAM VALUE   write /sys/module/MODULE/parameters/PARAM (no report)
#   kmsg-grep FILE PATTERN     grep FILE for PATTERN into the kernel log (no report)
#   reset MODULE...            end of a scenario: print the log since the last step
#                              (@@TAILLOG), disable every patch left, rmmod the modules
#                              still loaded, and say what was left (@@RESET)
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
echo 0 > /proc/sys/kernel/kptr_restrict
# The selftests' setup_config(): the livepatch core's pr_debug lines, without the per-task ones.
printf 'file kernel/livepatch/* +p\nfunc klp_try_switch_task -p\n' > /sys/kernel/debug/dynamic_debug/control
echo 1 > /proc/sys/kernel/ftrace_enabled

LIVEPATCHES=""
OBSERVE=""
INDEX=0

emit() { echo "@@$*"; }

# Waits until no patch is in transition and every disabled or replaced patch is freed
# (its sysfs directory gone and its module reference dropped): up to 30 s.
settle() {
	i=0
	while [ $i -lt 1500 ]; do
		busy=0
		for d in /sys/kernel/livepatch/*; do
			[ -d "$d" ] || continue
			if [ "$(cat "$d/transition" 2>/dev/null)" != 0 ] || [ "$(cat "$d/enabled" 2>/dev/null)" != 1 ]; then busy=1; fi
		done
		for m in $LIVEPATCHES; do
			if [ -d "/sys/module/$m" ] && [ ! -d "/sys/kernel/livepatch/$m" ] && [ "$(cat "/sys/module/$m/refcnt" 2>/dev/null)" != 0 ]; then busy=1; fi
		done
		[ $busy = 0 ] && return 0
		usleep 20000
		i=$((i + 1))
	done
	return 1
}

# The kernel's view after a step: log lines, patches with their objects and functions,
# loaded modules, and the observed implementations.
report() {
	dmesg -r -c 2>/dev/null | while IFS= read -r line; do emit "LOG $line"; done
	for d in /sys/kernel/livepatch/*; do
		[ -d "$d" ] || continue
		p=${d##*/}
		emit "PATCH $p $(cat "$d/enabled" 2>/dev/null) $(cat "$d/transition" 2>/dev/null)"
		for o in "$d"/*; do
			[ -f "$o/patched" ] || continue
			emit "OBJ $p ${o##*/} $(cat "$o/patched")"
			for f in "$o"/*; do
				[ -d "$f" ] && emit "FUNC $p ${o##*/} ${f##*/}"
			done
		done
	done
	for m in /sys/module/*; do
		[ -f "$m/initstate" ] && emit "MODULE ${m##*/} $(cat "$m/initstate") $(cat "$m/refcnt" 2>/dev/null)"
	done
	echo "$OBSERVE" | while read -r key path; do
		[ -n "$key" ] || continue
		if [ -e "$path" ]; then emit "OBS $key $(head -n 1 "$path" 2>&1)"; else emit "OBS $key @absent"; fi
	done
}

# The reason of a failed modtool insert ("...: No such device").
reason() { sed -n '$s/.*: //p' /tmp/err; }

run_step() {
	action=$1; name=$2; shift 2
	: > /tmp/err
	case $action in
	load | load-module)
		msg="% modprobe $name $*"
		echo "${msg% }" > /dev/kmsg
		/bin/modtool insert "/oracle/modules/$name.ko" "$@" 2> /tmp/err
		rc=$?
		[ $rc = 0 ] || echo "modprobe: ERROR: could not insert '$name': $(reason)" > /dev/kmsg
		;;
	disable)
		echo "% echo 0 > /sys/kernel/livepatch/$name/enabled" > /dev/kmsg
		{ echo 0 > "/sys/kernel/livepatch/$name/enabled"; } 2> /tmp/err
		rc=$?
		;;
	unload | unload-module)
		echo "% rmmod $name" > /dev/kmsg
		/bin/modtool remove "$name" 2> /tmp/err
		rc=$?
		;;
	*)
		echo "unknown action $action" > /tmp/err
		rc=2
		;;
	esac
}

emit "BOOT $(uname -r)"
dmesg -c > /dev/null
while read -r kind rest; do
	case $kind in
	kallsyms)
		sed 's/^/@@KSYM /' /proc/kallsyms
		;;
	symbols)
		echo "$rest" | tr ' ' '\n' > /tmp/symbols
		awk 'NR == FNR { want[$1] = 1; next } NF == 3 && ($3 in want) { print "@@KSYM " $0 }' /tmp/symbols /proc/kallsyms
		# Which definitions of these names ftrace can attach to: each definition in
		# /proc/kallsyms (K) and each ftrace record (F) with the 20 names before it; the host
		# matches them (both lists are in address order; see oracle/src/ftraceAlign.ts). A record
		# is listed under one name of its address (%ps): SYSCALL_DEFINE0's __x64_sys_getpid is an
		# alias of __do_sys_getpid (arch/x86/include/asm/syscall_wrapper.h), so a record named by
		# another symbol of a wanted definition's address counts as that name's (first pass:
		# those addresses).
		awk -v names="$rest" '
			BEGIN { n = split(names, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
			FNR == 1 { file++; r = 0 }
			file <= 2 && !(NF == 3 && $2 ~ /^[tTwW]$/) { next }
			file == 1 { if ($3 in want) at[$1] = at[$1] " " $3; next }
			file == 3 && NF != 1 { next }
			{
				name = (file == 2) ? $3 : $1
				if (file == 2 && ($1 in at)) alias[name] = at[$1]
				targets = (file == 2) ? ((name in want) ? name : "") : alias[name]
				if (targets != "") {
					ctx = ""
					for (d = 1; d <= 20 && d <= r; d++) ctx = ctx " " ring[(r - d) % 20]
					m = split(targets, t, " ")
					for (j = 1; j <= m; j++) print "@@FTRACE-" (file == 2 ? "K" : "F") " " t[j] ctx
				}
				ring[r % 20] = name
				r++
			}' /proc/kallsyms /proc/kallsyms /sys/kernel/debug/tracing/available_filter_functions
		;;
	scenario)
		LIVEPATCHES=""
		OBSERVE=""
		dmesg -c > /dev/null
		emit "SCENARIO $rest"
		;;
	livepatch)
		LIVEPATCHES="$LIVEPATCHES $rest"
		;;
	observe)
		OBSERVE="$OBSERVE
$rest"
		;;
	preload)
		/bin/modtool insert "/oracle/modules/$rest.ko" 2> /tmp/err || emit "PRELOAD-FAILED $rest $(reason)"
		dmesg -c > /dev/null
		;;
	param)
		set -- $rest
		echo "% echo $3 > /sys/module/$1/parameters/$2" > /dev/kmsg
		echo "$3" > "/sys/module/$1/parameters/$2"
		;;
	kmsg-grep)
		grep -- "${rest#* }" "${rest%% *}" > /dev/kmsg
		;;
	reset)
		dmesg -r -c 2>/dev/null | while IFS= read -r line; do emit "TAILLOG $line"; done
		left=""
		for d in /sys/kernel/livepatch/*; do
			[ -d "$d" ] || continue
			echo 0 > "$d/enabled" 2>/dev/null
			left="$left disable:${d##*/}"
			settle
		done
		for m in $rest; do
			[ -d "/sys/module/$m" ] || continue
			/bin/modtool remove "$m" 2>/dev/null || { settle; /bin/modtool remove "$m"; }
			left="$left rmmod:$m"
		done
		dmesg -c > /dev/null
		emit "RESET$left"
		;;
	step | step-nowait)
		set -- $rest
		run_step "$@"
		settled=yes
		if [ $kind = step ]; then settle || settled=no; fi
		emit "STEP $INDEX $rc $settled $rest"
		while IFS= read -r line; do emit "ERR $line"; done < /tmp/err
		report
		emit "END $INDEX"
		INDEX=$((INDEX + 1))
		;;
	esac
done < /oracle/steps
emit "DONE"
poweroff -f
