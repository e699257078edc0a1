// SPDX-License-Identifier: GPL-2.0-or-later
// netnslink - name network namespaces under /run/netns, list and remove names.

#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <unistd.h>

#include "netnslink.h"

const struct ns_column columns[NCOLS] = {
	/* the name is never cut; on a narrow terminal PIDS is, first */
	[COL_NAME] = { "NAME", "name under the directory", 0, 0,
		       SCOLS_JSON_STRING },
	[COL_NS] = { "NS", "network namespace inode", 10, SCOLS_FL_RIGHT,
		     SCOLS_JSON_NUMBER },
	[COL_KIND] = { "KIND",
		       "bind, symlink, dangling, recycled, unchecked or stale",
		       8, 0, SCOLS_JSON_STRING },
	[COL_NPROCS] = { "NPROCS", "number of processes in it", 5,
			 SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	[COL_NOTE] = { "NOTE", "'host' (PID 1's) or 'current' (the caller's)",
		       4, 0, SCOLS_JSON_STRING },
	[COL_PIDS] = { "PIDS", "processes in it (a table shows five)", 0.05,
		       SCOLS_FL_WRAP | SCOLS_FL_TRUNC,
		       SCOLS_JSON_ARRAY_NUMBER },
};

/* Where the descriptions of --help start (counted from 0). */
#define USAGE_COLUMN 24

static noreturn void
usage(void)
{
	fputs("Usage:\n"
	      " netnslink [options] PID NAME\n"
	      " netnslink [options] --new NAME\n"
	      " netnslink [options] -d NAME ...\n"
	      " netnslink [options] -i [PID] | --pids NAME\n"
	      " netnslink [options] [-l]\n"
	      "\n"
	      "Name a network namespace under /run/netns, as ip netns does.\n"
	      "\n"
	      "Options:\n"
	      "     --symlink          link to /proc/PID/ns/net instead of a bind mount\n"
	      "     --new              make a new, empty network namespace\n"
	      "     --loopback         with --new: bring the lo interface up\n"
	      " -f, --force            replace an existing name\n"
	      " -d, --delete           unmount and remove the names\n"
	      " -l, --list             list the names (the default)\n"
	      " -i, --identify [PID]   print the names of PID's network namespace\n"
	      "                          (no PID: the caller's)\n"
	      "     --pids NAME        print the PIDs in a named namespace\n"
	      "     --dir DIR          directory of the names (default /run/netns;\n"
	      "                          not root: $XDG_RUNTIME_DIR/netns)\n"
	      " -J, --json             JSON output\n"
	      " -r, --raw              raw output: no padding, one space between cells\n"
	      " -n, --noheadings       no header line\n"
	      " -o, --output LIST      columns to print (+LIST adds to the default)\n"
	      "     --output-all       print every column\n"
	      " -H, --list-columns     list the columns and exit\n",
	      stdout);
	ns_usage_help_version(USAGE_COLUMN);
	ns_usage_man_tail(8);
	exit(NS_EXIT_OK);
}

static void
check_name(const char *name)
{
	const char *why;

	if (ns_netns_name_valid(name, &why))
		return;
	if (*name == '\0' || strlen(name) > NAME_MAX)
		ns_usage_error(NS_EXIT_USAGE, "invalid name: %s", why);
	ns_usage_error(NS_EXIT_USAGE, "invalid name: '%s': %s", name, why);
}

static pid_t
parse_pid_arg(const char *s)
{
	pid_t pid;

	if (ns_parse_pid(s, &pid) != 0)
		ns_usage_invalid(NS_EXIT_USAGE, "PID", s);
	return pid;
}

/* NAME PID, the order of ip netns attach: say which order we take. */
static void
swapped_hint(const char *first, const char *second)
{
	pid_t pid;

	if (ns_parse_pid(first, &pid) == 0 || ns_parse_pid(second, &pid) != 0 ||
	    !ns_netns_name_valid(first, NULL))
		return;
	ns_usage_error(NS_EXIT_USAGE,
		       "invalid PID: '%s': did you mean 'netnslink %s %s'?",
		       first, second, first);
}

/* The option that chooses mode M, for messages. */
static const char *
mode_option(enum mode m)
{
	switch (m) {
	case MODE_LINK:
		return "PID NAME";
	case MODE_NEW:
		return "--new";
	case MODE_DELETE:
		return "--delete";
	case MODE_IDENTIFY:
		return "--identify";
	case MODE_PIDS:
		return "--pids";
	case MODE_LIST:
		break;
	}
	return "--list";
}

static void
set_mode(struct netnslink_opts *o, enum mode m)
{
	if (o->mode != MODE_LIST && o->mode != m)
		ns_usage_exclusive(NS_EXIT_USAGE, mode_option(o->mode),
				   mode_option(m));
	o->mode = m;
}

static void
// NOLINTNEXTLINE(readability-function-size): usage and parse_args may be longer
parse_args(int argc, char **argv, struct netnslink_opts *o)
{
	enum {
		OPT_SYMLINK = CHAR_MAX + 1,
		OPT_NEW,
		OPT_LOOPBACK,
		OPT_PIDS,
		OPT_DIR,
	};
	static const struct option longopts[] = {
		{ "symlink", no_argument, NULL, OPT_SYMLINK },
		{ "new", no_argument, NULL, OPT_NEW },
		{ "loopback", no_argument, NULL, OPT_LOOPBACK },
		{ "force", no_argument, NULL, 'f' },
		{ "delete", no_argument, NULL, 'd' },
		{ "list", no_argument, NULL, 'l' },
		{ "identify", optional_argument, NULL, 'i' },
		{ "pids", required_argument, NULL, OPT_PIDS },
		{ "dir", required_argument, NULL, OPT_DIR },
		NS_OUTPUT_LONG_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->dir = DEFAULT_DIR;
	o->out.json_name = "netns";
	for (size_t i = 0; i < NCOLS; i++)
		o->sel[o->nsel++] = (int)i;
	while ((c = getopt_long(argc, argv, "fdli::Jrno:HhV", longopts,
				NULL)) != -1) {
		switch (c) {
		case OPT_SYMLINK:
			o->symlink = true;
			break;
		case OPT_NEW:
			set_mode(o, MODE_NEW);
			break;
		case OPT_LOOPBACK:
			o->loopback = true;
			break;
		case 'f':
			o->force = true;
			break;
		case 'd':
			set_mode(o, MODE_DELETE);
			break;
		case 'l':
			o->list_given = true;
			break;
		case 'i':
			set_mode(o, MODE_IDENTIFY);
			if (optarg != NULL)
				o->pid = parse_pid_arg(optarg);
			break;
		case OPT_PIDS:
			set_mode(o, MODE_PIDS);
			check_name(optarg);
			o->name = optarg;
			break;
		case OPT_DIR:
			if (*optarg == '\0')
				ns_usage_invalid(NS_EXIT_USAGE, "directory",
						 optarg);
			o->dir = optarg;
			o->dir_given = true;
			break;
		case 'h':
			usage();
		case 'V':
			ns_print_version();
		default:
			if (!ns_output_option(c, optarg, &o->out))
				ns_try_help(NS_EXIT_USAGE);
			/* -H goes with any mode: it only describes --list */
			o->output_given |= c != 'H';
		}
	}
	ns_output_columns(&o->out, columns, NCOLS, o->sel, &o->nsel,
			  ARRAY_SIZE(o->sel));
}

/* The words after the options: what each mode takes. */
static void
take_operands(int argc, char **argv, struct netnslink_opts *o)
{
	switch (o->mode) {
	case MODE_IDENTIFY:
		/* -i PID as a separate word; no PID: our own, as ip does */
		if (o->pid == 0 && argc == 1)
			o->pid = parse_pid_arg(argv[0]);
		else if (argc != 0)
			ns_usage_error(NS_EXIT_USAGE,
				       "unexpected argument '%s'", argv[0]);
		if (o->pid == 0)
			o->pid = getpid();
		break;
	case MODE_LIST:
	case MODE_PIDS:
		if (argc != 0)
			ns_usage_error(NS_EXIT_USAGE,
				       "unexpected argument '%s'", argv[0]);
		break;
	case MODE_LINK:
		if (argc < 2)
			ns_usage_error(NS_EXIT_USAGE, "expected PID and NAME");
		if (argc > 2)
			ns_usage_error(NS_EXIT_USAGE,
				       "unexpected argument '%s'", argv[2]);
		swapped_hint(argv[0], argv[1]);
		o->pid = parse_pid_arg(argv[0]);
		check_name(argv[1]);
		o->name = argv[1];
		break;
	case MODE_NEW:
		if (argc != 1)
			ns_usage_error(NS_EXIT_USAGE, "--new takes one NAME");
		check_name(argv[0]);
		o->name = argv[0];
		break;
	case MODE_DELETE:
		if (argc == 0)
			ns_usage_error(NS_EXIT_USAGE, "--delete needs a NAME");
		for (int i = 0; i < argc; i++)
			check_name(argv[i]);
		o->names = argv;
		o->nnames = (size_t)argc;
		break;
	}
}

/* The options together: which go with the mode chosen, and its words. */
static void
check_args(int argc, char **argv, struct netnslink_opts *o)
{
	if (o->list_given && o->mode != MODE_LIST)
		ns_usage_exclusive(NS_EXIT_USAGE, "--list",
				   mode_option(o->mode));
	if (o->mode == MODE_LIST && !o->list_given && optind < argc)
		o->mode = MODE_LINK;
	if (o->output_given && o->mode != MODE_LIST)
		ns_usage_error(NS_EXIT_USAGE,
			       "-J, -r, -n and -o go with --list only");
	if (o->symlink && o->mode != MODE_LINK)
		ns_usage_error(NS_EXIT_USAGE, "--symlink goes with PID NAME");
	if (o->loopback && o->mode != MODE_NEW)
		ns_usage_error(NS_EXIT_USAGE, "--loopback goes with --new");
	if (o->force && o->mode != MODE_LINK && o->mode != MODE_NEW)
		ns_usage_error(NS_EXIT_USAGE,
			       "--force goes with PID NAME or --new");
	take_operands(argc - optind, argv + optind, o);
}

int
main(int argc, char **argv)
{
	struct netnslink_opts o = { 0 };

	/* A holder this program started for a user (own_names) */
	if (argc == 2 && strcmp(argv[0], NS_UNAMES_HOLDER) == 0)
		ns_unames_hold();
	/* Before the options: --help, -V and -H to a full disk fail too */
	ns_close_stdout_at_exit(NS_EXIT_FAIL);
	parse_args(argc, argv, &o);
	check_args(argc, argv, &o);
	if (geteuid() != 0 && !o.dir_given)
		return own_names(&o);
	/* Every mode reads or opens through /proc: refuse one that is not
	 * the kernel's before touching anything. */
	close(proc_root());
	switch (o.mode) {
	case MODE_LINK:
		return link_pid(&o);
	case MODE_NEW:
		return new_netns(&o);
	case MODE_DELETE:
		return delete_names(&o);
	case MODE_IDENTIFY:
		return identify(&o);
	case MODE_PIDS:
		return print_pids(&o);
	case MODE_LIST:
		break;
	}
	return list_names(&o);
}
