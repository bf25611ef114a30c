// SPDX-License-Identifier: GPL-2.0
/*
 * buddyctl: drive the buddybox sandbox allocator through /dev/buddybox.
 *
 * One invocation opens the device once and runs a sequence of commands on
 * that descriptor, given on the command line (separated by "--") or as a
 * script, one command per line.  The descriptor owns what it allocates, so
 * everything is freed when buddyctl exits.
 *
 * Every command is parsed before the first one runs: a typo at the end of
 * a script is reported before anything is allocated.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "buddybox.h"
#include "bbmap.h"
#include "replay.h"

#ifndef BB_IOC_ALLOC
#error "buddybox.h is not the uapi header: build with -Imodule/uapi"
#endif

#define BB_DEFAULT_DEVICE	"/dev/buddybox"
#define BB_DEFAULT_DEBUGFS	"/sys/kernel/debug/buddybox"
/* larger than any allocation, so that the kernel's checks can be tested */
#define BB_MAX_LENGTH		(64ULL << 20)
#define BB_IOCTL_BUF		16384	/* the largest _IOC_SIZE */
#define BB_PATH_BUF		65536	/* --explain: the module writes at most 64 KiB */

/* exit statuses */
#define BB_EXIT_FAIL		1
#define BB_EXIT_USAGE		2

/* results of a command besides 0 and a negative errno */
#define BB_EMISMATCH		(-10001)	/* read --verify-* found other data */
#define BB_EUSAGE		(-10002)	/* e.g. $N names no allocation */
#define BB_ESUCCESS		(-10003)	/* expect-fail: the command succeeded */

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

static const char *const bb_zone_names[] = {
	"DMA", "DMA32", "Normal", "Movable",
};

static const char *const bb_mt_names[] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate",
};

struct bb_gfp_name {
	const char *name;
	unsigned int gfp;
};

static const struct bb_gfp_name bb_gfp_names[] = BB_GFP_NAMES_INIT;

struct bb_errno_name {
	int err;
	const char *name;
};

#define BB_ERRNO(e)	{ e, #e }

/* the first name of a number is the one printed */
static const struct bb_errno_name bb_errno_names[] = {
	BB_ERRNO(EPERM), BB_ERRNO(ENOENT), BB_ERRNO(ESRCH), BB_ERRNO(EINTR),
	BB_ERRNO(EIO), BB_ERRNO(ENXIO), BB_ERRNO(E2BIG), BB_ERRNO(ENOEXEC),
	BB_ERRNO(EBADF), BB_ERRNO(ECHILD), BB_ERRNO(EAGAIN), BB_ERRNO(EWOULDBLOCK),
	BB_ERRNO(ENOMEM), BB_ERRNO(EACCES), BB_ERRNO(EFAULT), BB_ERRNO(EBUSY),
	BB_ERRNO(EEXIST), BB_ERRNO(EXDEV), BB_ERRNO(ENODEV), BB_ERRNO(ENOTDIR),
	BB_ERRNO(EISDIR), BB_ERRNO(EINVAL), BB_ERRNO(ENFILE), BB_ERRNO(EMFILE),
	BB_ERRNO(ENOTTY), BB_ERRNO(ETXTBSY), BB_ERRNO(EFBIG), BB_ERRNO(ENOSPC),
	BB_ERRNO(ESPIPE), BB_ERRNO(EROFS), BB_ERRNO(EMLINK), BB_ERRNO(EPIPE),
	BB_ERRNO(EDOM), BB_ERRNO(ERANGE), BB_ERRNO(EDEADLK), BB_ERRNO(ENAMETOOLONG),
	BB_ERRNO(ENOLCK), BB_ERRNO(ENOTEMPTY), BB_ERRNO(ELOOP),
	BB_ERRNO(ENODATA), BB_ERRNO(ETIME), BB_ERRNO(EOVERFLOW), BB_ERRNO(EBADMSG),
	BB_ERRNO(EILSEQ), BB_ERRNO(EOPNOTSUPP), BB_ERRNO(ENOTSUP),
	BB_ERRNO(ETIMEDOUT), BB_ERRNO(EALREADY), BB_ERRNO(EINPROGRESS),
	BB_ERRNO(ECANCELED), BB_ERRNO(ENOBUFS), BB_ERRNO(ESTALE),
};

static const char *const bb_state_names[] = {
	[BB_STATE_PINNED] = "pinned",
	[BB_STATE_MOVABLE] = "movable",
	[BB_STATE_CACHE] = "cache",
	[BB_STATE_STALE] = "stale",
};

enum bb_kind {
	BB_CMD_ALLOC,
	BB_CMD_FREE,
	BB_CMD_WRITE,
	BB_CMD_READ,
	BB_CMD_STATS,
	BB_CMD_IOCTL,
	BB_CMD_SLEEP,
	BB_CMD_ECHO,
	BB_CMD_LOOKUP,
	BB_CMD_OOM_ADJ,
	BB_CMD_WAIT_OOM,
	BB_CMD_BULK_ALLOC,
	BB_CMD_BULK_FREE,
	BB_CMD_ATTACH,
};

/* the data of write, and what read verifies */
enum bb_data {
	BB_DATA_NONE,
	BB_DATA_PATTERN,
	BB_DATA_SEED,
};

/* how a command names an allocation */
enum bb_href_kind {
	BB_HREF_NUM,		/* a handle number */
	BB_HREF_REF,		/* $N: the N-th allocation of this invocation */
	BB_HREF_ALL,		/* free all */
};

struct bb_href {
	enum bb_href_kind kind;
	unsigned long long val;
};

struct bb_cmd {
	enum bb_kind kind;
	unsigned int line;	/* script line, 0 on the command line */
	char *text;		/* as written, for messages */
	int expect;		/* expect-fail: the error wanted, else 0 */
	char *echo;
	struct bb_href href;
	unsigned int order;
	unsigned int gfp;
	int nid;
	unsigned int nodemask;
	unsigned int flags;
	unsigned long long count;
	int quiet;
	unsigned long long offset;
	unsigned long long length;
	int has_length;
	enum bb_data data;
	unsigned long long value;	/* the pattern byte or the seed */
	unsigned long long ms;
	unsigned long ioctl_cmd;
	int explain;		/* alloc --explain */
	int has_value;		/* oom-score-adj N, wait-oom SECONDS */
	int adj;		/* oom-score-adj N */
	struct bb_href *hrefs;	/* bulk-free HANDLE...: none for all */
	size_t nr_hrefs;
};

/* one allocation of this invocation */
struct bb_track {
	unsigned long long handle;
	unsigned int order;
	int live;
};

struct bb_session {
	const char *device;
	const char *sandbox;	/* --sandbox NAME, or NULL */
	int fd;
	int json;
	int keep_going;
	struct bb_track *allocs;
	size_t nr_allocs;
	size_t cap_allocs;
	unsigned long page_size;
	char *path;		/* alloc --explain: BB_PATH_BUF bytes */
	int quiet_rw;		/* write/read all: one summary line */
	char detail[256];	/* more about the last failure */
};

static void bb_usage(FILE *f)
{
	unsigned int i, col;

	fputs("Usage: buddyctl [OPTIONS] COMMAND [ARGS] [-- COMMAND [ARGS]]...\n"
	      "       buddyctl [OPTIONS] script FILE|-\n"
	      "       buddyctl [-s NAME] map --svg FILE [--from FILE|-] [--debugfs DIR]\n"
	      "\n"
	      "Drive the buddybox sandbox allocator through its device.  All the commands\n"
	      "of one invocation run on one descriptor, which owns what they allocate:\n"
	      "it is all freed when buddyctl exits.\n"
	      "\n"
	      "Options:\n"
	      "  -d, --device PATH   the device (default " BB_DEFAULT_DEVICE ")\n"
	      "  -s, --sandbox NAME  work on the sandbox NAME (default: \"default\")\n"
	      "  -j, --json          machine-readable output, one JSON object per line\n"
	      "  -k, --keep-going    run the other commands after one failed\n"
	      "  -h, --help          show this help\n"
	      "\n"
	      "Commands:\n"
	      "  alloc --order N [--gfp GFP] [--nid N] [--nodemask MASK] [--count N]\n"
	      "        [--quiet] [--cache] [--explain] [--flags F]\n"
	      "      allocate 2^N pages, COUNT times (default 1); prints handle, pfn,\n"
	      "      order, zone, node and migratetype of each (--quiet: a summary).\n"
	      "      GFP defaults to GFP_KERNEL; --nid -1 (default) prefers node 0;\n"
	      "      --nodemask 0 (default) allows every node.  --cache: clean cache,\n"
	      "      that reclaim may drop (its READ/WRITE then fail with ESTALE).\n"
	      "      --explain: print the path the allocation took, in words, before\n"
	      "      its line; a failed allocation's path too (with --quiet, only\n"
	      "      that one).  --flags: the raw BB_ALLOC_F_* bits.\n"
	      "  bulk-alloc N [--gfp GFP] [--nid N]\n"
	      "      N order-0 pages through BB_IOC_ALLOC_BULK (at most 4096 a call,\n"
	      "      fewer after a short call); prints a summary, and how many it\n"
	      "      got if it could not get them all.\n"
	      "  free HANDLE|all\n"
	      "      free an allocation, or every one this invocation made.\n"
	      "  bulk-free [HANDLE...]\n"
	      "      free the allocations named, or every one this invocation made,\n"
	      "      through BB_IOC_FREE_BULK.\n"
	      "  write HANDLE|all [--offset O] [--length L] (--pattern BYTE | --seed S)\n"
	      "      fill with a byte, or with a pseudo-random stream of seed S and\n"
	      "      the handle (the byte at an offset depends only on S, handle\n"
	      "      and offset); all: every allocation this invocation holds.\n"
	      "  read HANDLE|all [--offset O] [--length L]\n"
	      "       [--verify-pattern BYTE | --verify-seed S]\n"
	      "      hexdump, or compare and fail at the first mismatching offset.\n"
	      "  lookup HANDLE\n"
	      "      where the allocation is now (compaction moves movable ones):\n"
	      "      pfn, order, zone, node, migratetype, state (pinned, movable,\n"
	      "      cache, stale) and how many times it was moved.\n"
	      "  oom-score-adj [N]\n"
	      "      print this descriptor's oom_score_adj, after setting it to N\n"
	      "      (-1000: never chosen by the OOM killer .. 1000: first).\n"
	      "  wait-oom [SECONDS]\n"
	      "      wait until the OOM killer chose this descriptor (poll() for\n"
	      "      POLLPRI) and print oom-killed; fails with ETIMEDOUT after\n"
	      "      SECONDS (default: wait for ever).\n"
	      "  stats\n"
	      "      the sandbox's counters and this descriptor's allocations.\n"
	      "  attach NAME\n"
	      "      work on the sandbox NAME (as --sandbox): only as the first\n"
	      "      command that reaches the device; EALREADY after another.\n"
	      "  ioctl CMD\n"
	      "      a raw ioctl with a zeroed buffer (e.g. an unknown one: ENOTTY).\n"
	      "  sleep MS\n"
	      "  echo TEXT...\n"
	      "  expect-fail ERRNO COMMAND [ARGS]\n"
	      "      succeed only if COMMAND fails with ERRNO: a name (EINVAL), a\n"
	      "      number, or MISMATCH for a failed read --verify-*.\n"
	      "  replay TRACE [--sandbox A,B] [--every N] [--json PREFIX] [--svg FILE]\n"
	      "         [--buddyinfo FILE] [--map PREFIX [--map-every N]] [--strict]\n"
	      "      replay a real kernel's page trace (tools/capture.sh) into each\n"
	      "      sandbox named (replay.c); alone, not with other commands.\n"
	      "  script FILE|-\n"
	      "      run the commands of FILE (- for stdin), one per line; blank\n"
	      "      lines and words from a '#' on are ignored.\n"
	      "  map --svg FILE [--from FILE|-] [--debugfs DIR]\n"
	      "      draw the sandbox's pageblock map (one cell per pageblock, its\n"
	      "      migratetype, how much is allocated, mixed blocks, the highatomic\n"
	      "      reserve) as SVG into FILE, from its debugfs file\n"
	      "      DIR/NAME/pageblock_map (DIR: " BB_DEFAULT_DEBUGFS ")\n"
	      "      or from a saved copy (--from); no other command with it.\n"
	      "\n"
	      "HANDLE is a number or $N, the handle of the N-th allocation of this\n"
	      "invocation (counting each of --count).  O, L default to the whole\n"
	      "allocation when this invocation made it, else to one page.  Numbers\n"
	      "may be decimal, 0x-hex or 0-octal.\n"
	      "\n"
	      "Exit status: 0 success, 1 a command failed, 2 bad usage.\n"
	      "\n"
	      "GFP is a number or names joined by '|':\n", f);
	col = 0;
	for (i = 0; i < ARRAY_SIZE(bb_gfp_names); i++) {
		size_t len = strlen(bb_gfp_names[i].name);

		if (col && col + len + 1 > 76) {
			fputc('\n', f);
			col = 0;
		}
		col += fprintf(f, "%s%s", col ? " " : "  ", bb_gfp_names[i].name);
	}
	fputc('\n', f);
}

static const char *bb_errname(int err)
{
	static char buf[32];
	unsigned int i;

	if (err == BB_EMISMATCH)
		return "MISMATCH";
	if (err == BB_EUSAGE)
		return "USAGE";
	if (err == BB_ESUCCESS)
		return "SUCCEEDED";
	for (i = 0; i < ARRAY_SIZE(bb_errno_names); i++)
		if (bb_errno_names[i].err == -err)
			return bb_errno_names[i].name;
	snprintf(buf, sizeof(buf), "E%d", -err);
	return buf;
}

static const char *bb_errmsg(int err)
{
	if (err == BB_EMISMATCH)
		return "data mismatch";
	if (err == BB_EUSAGE)
		return "no such allocation in this invocation";
	if (err == BB_ESUCCESS)
		return "succeeded";
	return strerror(-err);
}

static const char *bb_name(const char *const *names, size_t nr, unsigned int i)
{
	static char buf[16];

	if (i < nr)
		return names[i];
	snprintf(buf, sizeof(buf), "%u", i);
	return buf;
}

static const char *bb_zone_name(unsigned int zone)
{
	return bb_name(bb_zone_names, ARRAY_SIZE(bb_zone_names),
		       zone);
}

static const char *bb_mt_name(unsigned int mt)
{
	return bb_name(bb_mt_names, ARRAY_SIZE(bb_mt_names), mt);
}

static void bb_json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* Where a command comes from, for messages: "line 3: " or "". */
static const char *bb_where(unsigned int line)
{
	static char buf[32];

	if (!line)
		return "";
	snprintf(buf, sizeof(buf), "line %u: ", line);
	return buf;
}

static void bb_parse_error(unsigned int line, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "buddyctl: %s", bb_where(line));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (try buddyctl --help)\n", stderr);
}

static void bb_set_detail(struct bb_session *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->detail, sizeof(s->detail), fmt, ap);
	va_end(ap);
}

/*
 * A command failed with @err (when it should have failed with @expected, if
 * not 0): say so on stderr, and in JSON mode on stdout too.
 */
static void bb_report(struct bb_session *s, const struct bb_cmd *c, int err,
		      int expected)
{
	if (s->json) {
		printf("{\"cmd\":\"error\",\"line\":%u,\"command\":", c->line);
		bb_json_str(c->text);
		printf(",\"error\":\"%s\",\"errno\":%d,\"message\":", bb_errname(err),
		       err > -4096 ? -err : 0);
		bb_json_str(bb_errmsg(err));
		if (expected)
			printf(",\"expected\":\"%s\"", bb_errname(expected));
		if (s->detail[0]) {
			printf(",\"detail\":");
			bb_json_str(s->detail);
		}
		printf("}\n");
	}
	fflush(stdout);
	fprintf(stderr, "buddyctl: %s%s: %s (%s)", bb_where(c->line), c->text,
		bb_errmsg(err), bb_errname(err));
	if (expected)
		fprintf(stderr, ", expected %s", bb_errname(expected));
	if (s->detail[0])
		fprintf(stderr, ": %s", s->detail);
	fputc('\n', stderr);
}

/* Numbers: decimal, 0x-hex or 0-octal, the whole string, no sign. */
static int bb_parse_ull(const char *str, unsigned long long *val)
{
	char *end;

	if (!*str || *str == '-' || *str == '+' || *str == ' ')
		return -1;
	errno = 0;
	*val = strtoull(str, &end, 0);
	if (errno || *end)
		return -1;
	return 0;
}

static int bb_parse_uint(const char *str, unsigned int *val)
{
	unsigned long long v;

	if (bb_parse_ull(str, &v) || v > UINT32_MAX)
		return -1;
	*val = v;
	return 0;
}

static int bb_parse_int(const char *str, int *val)
{
	unsigned long long v;
	int neg = *str == '-';

	if (bb_parse_ull(str + neg, &v) || v > (neg ? 0x80000000ULL : 0x7fffffffULL))
		return -1;
	*val = neg ? (int)-(long long)v : (int)v;
	return 0;
}

/* "GFP_KERNEL|__GFP_MOVABLE", "0x8", or both: the module's syntax. */
static int bb_parse_gfp(const char *str, unsigned int *gfp)
{
	unsigned int val = 0;

	if (!*str)
		return -1;
	while (*str) {
		size_t len = strcspn(str, "|");
		unsigned int i, num;
		char word[64];

		if (!len || len >= sizeof(word))
			return -1;
		memcpy(word, str, len);
		word[len] = '\0';
		for (i = 0; i < ARRAY_SIZE(bb_gfp_names); i++)
			if (!strcmp(word, bb_gfp_names[i].name))
				break;
		if (i < ARRAY_SIZE(bb_gfp_names)) {
			val |= bb_gfp_names[i].gfp;
		} else {
			if (bb_parse_uint(word, &num))
				return -1;
			val |= num;
		}
		str += len;
		if (*str == '|' && !*++str)
			return -1;
	}
	*gfp = val;
	return 0;
}

/* An errno by name (EINVAL), by number (22), or MISMATCH. */
static int bb_parse_errno(const char *str, int *err)
{
	unsigned int i, num;

	if (!strcmp(str, "MISMATCH")) {
		*err = BB_EMISMATCH;
		return 0;
	}
	/* a leading minus is allowed: -EINVAL, -22 */
	if (*str == '-')
		str++;
	for (i = 0; i < ARRAY_SIZE(bb_errno_names); i++) {
		if (!strcmp(str, bb_errno_names[i].name)) {
			*err = -bb_errno_names[i].err;
			return 0;
		}
	}
	if (bb_parse_uint(str, &num) || !num || num > 4095)
		return -1;
	*err = -(int)num;
	return 0;
}

static int bb_parse_href(const char *str, struct bb_href *h)
{
	if (!strcmp(str, "all")) {
		h->kind = BB_HREF_ALL;
		h->val = 0;
		return 0;
	}
	if (str[0] == '$') {
		h->kind = BB_HREF_REF;
		return bb_parse_ull(str + 1, &h->val) || !h->val ? -1 : 0;
	}
	h->kind = BB_HREF_NUM;
	return bb_parse_ull(str, &h->val);
}

/* The options of one command, walked by bb_next_opt(). */
struct bb_opt {
	const char *name;
	int has_arg;
	int id;
};

#define BB_OPT_END	0
#define BB_OPT_ARG	(-1)	/* a positional argument */
#define BB_OPT_ERR	(-2)

struct bb_args {
	int argc;
	char **argv;
	int i;
	unsigned int line;
	const char *opt;	/* the last option, for messages */
	int optlen;
};

static int bb_next_opt(struct bb_args *a, const struct bb_opt *opts,
		       const char **val)
{
	const char *arg, *eq;
	size_t len;

	if (a->i >= a->argc)
		return BB_OPT_END;
	arg = a->argv[a->i++];
	*val = arg;
	if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
		bb_usage(stdout);
		exit(0);
	}
	if (arg[0] != '-' || arg[1] != '-')
		return BB_OPT_ARG;
	eq = strchr(arg, '=');
	len = eq ? (size_t)(eq - arg) : strlen(arg);
	a->opt = arg;
	a->optlen = len;
	for (; opts && opts->name; opts++) {
		if (strlen(opts->name) != len || strncmp(arg, opts->name, len))
			continue;
		if (!opts->has_arg) {
			if (eq) {
				bb_parse_error(a->line, "%s: %.*s takes no value",
					       a->argv[0], (int)len, arg);
				return BB_OPT_ERR;
			}
			return opts->id;
		}
		if (eq) {
			*val = eq + 1;
		} else if (a->i < a->argc) {
			*val = a->argv[a->i++];
		} else {
			bb_parse_error(a->line, "%s: %s needs a value", a->argv[0], arg);
			return BB_OPT_ERR;
		}
		return opts->id;
	}
	bb_parse_error(a->line, "%s: unknown option %.*s", a->argv[0], (int)len, arg);
	return BB_OPT_ERR;
}

/* @what: the argument, or NULL for the option bb_next_opt() returned last */
static int bb_bad_value(struct bb_args *a, const char *what, const char *val)
{
	if (what)
		bb_parse_error(a->line, "%s: bad %s '%s'", a->argv[0], what, val);
	else
		bb_parse_error(a->line, "%s: bad value '%s' for %.*s", a->argv[0], val,
			       a->optlen, a->opt);
	return -1;
}

enum {
	BB_O_ORDER = 1, BB_O_GFP, BB_O_NID, BB_O_NODEMASK, BB_O_COUNT, BB_O_QUIET,
	BB_O_FLAGS, BB_O_OFFSET, BB_O_LENGTH, BB_O_PATTERN, BB_O_SEED,
	BB_O_CACHE, BB_O_EXPLAIN,
};

static const struct bb_opt bb_alloc_opts[] = {
	{ "--order", 1, BB_O_ORDER },
	{ "--gfp", 1, BB_O_GFP },
	{ "--nid", 1, BB_O_NID },
	{ "--nodemask", 1, BB_O_NODEMASK },
	{ "--count", 1, BB_O_COUNT },
	{ "--quiet", 0, BB_O_QUIET },
	{ "--flags", 1, BB_O_FLAGS },
	{ "--cache", 0, BB_O_CACHE },
	{ "--explain", 0, BB_O_EXPLAIN },
	{ NULL, 0, 0 }
};

static int bb_parse_alloc(struct bb_args *a, struct bb_cmd *c)
{
	unsigned int flags = 0;
	int have_order = 0;
	const char *v;
	int id;

	c->gfp = BB_GFP_KERNEL;
	c->nid = -1;
	c->count = 1;
	while ((id = bb_next_opt(a, bb_alloc_opts, &v)) != BB_OPT_END) {
		switch (id) {
		case BB_O_ORDER:
			if (bb_parse_uint(v, &c->order))
				return bb_bad_value(a, NULL, v);
			have_order = 1;
			break;
		case BB_O_GFP:
			if (bb_parse_gfp(v, &c->gfp))
				return bb_bad_value(a, NULL, v);
			break;
		case BB_O_NID:
			if (bb_parse_int(v, &c->nid))
				return bb_bad_value(a, NULL, v);
			break;
		case BB_O_NODEMASK:
			if (bb_parse_uint(v, &c->nodemask))
				return bb_bad_value(a, NULL, v);
			break;
		case BB_O_COUNT:
			if (bb_parse_ull(v, &c->count) || !c->count)
				return bb_bad_value(a, NULL, v);
			break;
		case BB_O_QUIET:
			c->quiet = 1;
			break;
		case BB_O_FLAGS:
			if (bb_parse_uint(v, &c->flags))
				return bb_bad_value(a, NULL, v);
			break;
		case BB_O_CACHE:
			flags |= BB_ALLOC_F_CACHE;
			break;
		case BB_O_EXPLAIN:
			flags |= BB_ALLOC_F_EXPLAIN;
			break;
		case BB_OPT_ARG:
			bb_parse_error(a->line, "alloc: unexpected argument '%s'", v);
			return -1;
		default:
			return -1;
		}
	}
	if (!have_order) {
		bb_parse_error(a->line, "alloc: --order is required");
		return -1;
	}
	c->flags |= flags;
	c->explain = !!(c->flags & BB_ALLOC_F_EXPLAIN);
	return 0;
}

/* bulk-alloc N [--gfp GFP] [--nid N] */
static const struct bb_opt bb_bulk_opts[] = {
	{ "--gfp", 1, BB_O_GFP },
	{ "--nid", 1, BB_O_NID },
	{ NULL, 0, 0 }
};

static int bb_parse_bulk_alloc(struct bb_args *a, struct bb_cmd *c)
{
	int have_count = 0;
	const char *v;
	int id;

	c->gfp = BB_GFP_KERNEL;
	c->nid = -1;
	while ((id = bb_next_opt(a, bb_bulk_opts, &v)) != BB_OPT_END) {
		switch (id) {
		case BB_O_GFP:
			if (bb_parse_gfp(v, &c->gfp))
				return bb_bad_value(a, NULL, v);
			break;
		case BB_O_NID:
			if (bb_parse_int(v, &c->nid))
				return bb_bad_value(a, NULL, v);
			break;
		case BB_OPT_ARG:
			if (have_count) {
				bb_parse_error(a->line, "bulk-alloc: unexpected argument '%s'", v);
				return -1;
			}
			if (bb_parse_ull(v, &c->count) || !c->count)
				return bb_bad_value(a, "N", v);
			have_count = 1;
			break;
		default:
			return -1;
		}
	}
	if (!have_count) {
		bb_parse_error(a->line, "bulk-alloc: N is required");
		return -1;
	}
	return 0;
}

/* bulk-free [HANDLE...] */
static int bb_parse_bulk_free(struct bb_args *a, struct bb_cmd *c)
{
	const char *v;
	int id;

	c->hrefs = calloc(a->argc, sizeof(*c->hrefs));
	if (!c->hrefs) {
		perror("buddyctl");
		exit(BB_EXIT_FAIL);
	}
	while ((id = bb_next_opt(a, NULL, &v)) != BB_OPT_END) {
		if (id != BB_OPT_ARG)
			return -1;
		if (bb_parse_href(v, &c->hrefs[c->nr_hrefs]) ||
		    c->hrefs[c->nr_hrefs].kind == BB_HREF_ALL)
			return bb_bad_value(a, "HANDLE", v);
		c->nr_hrefs++;
	}
	return 0;
}

/* write and read: HANDLE and the options about the bytes */
static const struct bb_opt bb_write_opts[] = {
	{ "--offset", 1, BB_O_OFFSET },
	{ "--length", 1, BB_O_LENGTH },
	{ "--pattern", 1, BB_O_PATTERN },
	{ "--seed", 1, BB_O_SEED },
	{ NULL, 0, 0 }
};

static const struct bb_opt bb_read_opts[] = {
	{ "--offset", 1, BB_O_OFFSET },
	{ "--length", 1, BB_O_LENGTH },
	{ "--verify-pattern", 1, BB_O_PATTERN },
	{ "--verify-seed", 1, BB_O_SEED },
	{ NULL, 0, 0 }
};

static int bb_parse_rw(struct bb_args *a, struct bb_cmd *c)
{
	const char *name = a->argv[0];
	int have_handle = 0;
	const char *v;
	int id;

	while ((id = bb_next_opt(a, c->kind == BB_CMD_WRITE ? bb_write_opts : bb_read_opts,
				 &v)) != BB_OPT_END) {
		switch (id) {
		case BB_OPT_ARG:
			if (have_handle) {
				bb_parse_error(a->line, "%s: unexpected argument '%s'", name, v);
				return -1;
			}
			if (bb_parse_href(v, &c->href))
				return bb_bad_value(a, "HANDLE", v);
			have_handle = 1;
			break;
		case BB_O_OFFSET:
			if (bb_parse_ull(v, &c->offset))
				return bb_bad_value(a, NULL, v);
			break;
		case BB_O_LENGTH:
			if (bb_parse_ull(v, &c->length) || c->length > BB_MAX_LENGTH)
				return bb_bad_value(a, NULL, v);
			c->has_length = 1;
			break;
		case BB_O_PATTERN:
		case BB_O_SEED:
			if (c->data != BB_DATA_NONE) {
				bb_parse_error(a->line, "%s: one pattern or seed only", name);
				return -1;
			}
			if (bb_parse_ull(v, &c->value) || (id == BB_O_PATTERN && c->value > 0xff))
				return bb_bad_value(a, NULL, v);
			c->data = id == BB_O_PATTERN ? BB_DATA_PATTERN : BB_DATA_SEED;
			break;
		default:
			return -1;
		}
	}
	if (!have_handle) {
		bb_parse_error(a->line, "%s: HANDLE is required", name);
		return -1;
	}
	if (c->kind == BB_CMD_WRITE && c->data == BB_DATA_NONE) {
		bb_parse_error(a->line, "write: --pattern or --seed is required");
		return -1;
	}
	return 0;
}

/* Commands of one positional argument (or none, or the rest of the line). */
static int bb_parse_simple(struct bb_args *a, struct bb_cmd *c)
{
	const char *name = a->argv[0];
	const char *v = NULL;
	int id, n = 0;

	if (c->kind == BB_CMD_ECHO) {
		size_t len = 1;
		int i;

		for (i = 1; i < a->argc; i++)
			len += strlen(a->argv[i]) + 1;
		c->echo = calloc(1, len);
		if (!c->echo) {
			perror("buddyctl");
			exit(BB_EXIT_FAIL);
		}
		for (i = 1; i < a->argc; i++) {
			if (i > 1)
				strcat(c->echo, " ");
			strcat(c->echo, a->argv[i]);
		}
		return 0;
	}
	while ((id = bb_next_opt(a, NULL, &v)) != BB_OPT_END) {
		if (id != BB_OPT_ARG)
			return -1;
		if (n++ || c->kind == BB_CMD_STATS) {
			bb_parse_error(a->line, "%s: unexpected argument '%s'", name, v);
			return -1;
		}
		switch (c->kind) {
		case BB_CMD_FREE:
			if (bb_parse_href(v, &c->href))
				return bb_bad_value(a, "HANDLE", v);
			break;
		case BB_CMD_IOCTL:
			if (bb_parse_ull(v, &c->value) || c->value > UINT32_MAX)
				return bb_bad_value(a, "CMD", v);
			c->ioctl_cmd = c->value;
			break;
		case BB_CMD_SLEEP:
			if (bb_parse_ull(v, &c->ms) || c->ms > 86400000ULL)
				return bb_bad_value(a, "MS", v);
			break;
		case BB_CMD_LOOKUP:
			if (bb_parse_href(v, &c->href) || c->href.kind == BB_HREF_ALL)
				return bb_bad_value(a, "HANDLE", v);
			break;
		case BB_CMD_OOM_ADJ:
			if (bb_parse_int(v, &c->adj))
				return bb_bad_value(a, "N", v);
			c->has_value = 1;
			break;
		case BB_CMD_WAIT_OOM:
			if (bb_parse_ull(v, &c->ms) || c->ms > 86400ULL)
				return bb_bad_value(a, "SECONDS", v);
			c->ms *= 1000;
			c->has_value = 1;
			break;
		case BB_CMD_ATTACH:
			/* the module judges the name: its errors are tested */
			if (strlen(v) >= sizeof(((struct bb_attach_req *)0)->name))
				return bb_bad_value(a, "NAME", v);
			c->echo = strdup(v);
			if (!c->echo) {
				perror("buddyctl");
				exit(BB_EXIT_FAIL);
			}
			break;
		default:
			break;
		}
	}
	if (!n && c->kind != BB_CMD_STATS && c->kind != BB_CMD_OOM_ADJ &&
	    c->kind != BB_CMD_WAIT_OOM) {
		bb_parse_error(a->line, "%s: an argument is required", name);
		return -1;
	}
	return 0;
}

static const struct {
	const char *name;
	enum bb_kind kind;
} bb_cmd_names[] = {
	{ "alloc", BB_CMD_ALLOC },
	{ "free", BB_CMD_FREE },
	{ "write", BB_CMD_WRITE },
	{ "read", BB_CMD_READ },
	{ "stats", BB_CMD_STATS },
	{ "ioctl", BB_CMD_IOCTL },
	{ "sleep", BB_CMD_SLEEP },
	{ "echo", BB_CMD_ECHO },
	{ "lookup", BB_CMD_LOOKUP },
	{ "oom-score-adj", BB_CMD_OOM_ADJ },
	{ "wait-oom", BB_CMD_WAIT_OOM },
	{ "bulk-alloc", BB_CMD_BULK_ALLOC },
	{ "bulk-free", BB_CMD_BULK_FREE },
	{ "attach", BB_CMD_ATTACH },
};

static char *bb_join(int argc, char **argv)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	if (!s) {
		perror("buddyctl");
		exit(BB_EXIT_FAIL);
	}
	for (i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

/* Parse one command, argv[0] its name; 0 or -1 (the error was printed). */
static int bb_parse_cmd(struct bb_cmd *c, int argc, char **argv, unsigned int line)
{
	struct bb_args a;
	unsigned int i;

	memset(c, 0, sizeof(*c));
	c->line = line;
	c->text = bb_join(argc, argv);
	if (!strcmp(argv[0], "expect-fail")) {
		if (argc < 3) {
			bb_parse_error(line, "expect-fail: ERRNO and a command are required");
			return -1;
		}
		if (bb_parse_errno(argv[1], &c->expect)) {
			bb_parse_error(line, "expect-fail: unknown errno '%s'", argv[1]);
			return -1;
		}
		argc -= 2;
		argv += 2;
		if (!strcmp(argv[0], "expect-fail") || !strcmp(argv[0], "script")) {
			bb_parse_error(line, "expect-fail: cannot take %s", argv[0]);
			return -1;
		}
	}
	if (!strcmp(argv[0], "help")) {
		bb_usage(stdout);
		exit(0);
	}
	for (i = 0; i < ARRAY_SIZE(bb_cmd_names); i++)
		if (!strcmp(argv[0], bb_cmd_names[i].name))
			break;
	if (i == ARRAY_SIZE(bb_cmd_names)) {
		if (!strcmp(argv[0], "script"))
			bb_parse_error(line, "script: must be the only command");
		else
			bb_parse_error(line, "unknown command '%s'", argv[0]);
		return -1;
	}
	c->kind = bb_cmd_names[i].kind;
	a.argc = argc;
	a.argv = argv;
	a.i = 1;
	a.line = line;
	switch (c->kind) {
	case BB_CMD_ALLOC:
		return bb_parse_alloc(&a, c);
	case BB_CMD_WRITE:
	case BB_CMD_READ:
		return bb_parse_rw(&a, c);
	case BB_CMD_BULK_ALLOC:
		return bb_parse_bulk_alloc(&a, c);
	case BB_CMD_BULK_FREE:
		return bb_parse_bulk_free(&a, c);
	default:
		return bb_parse_simple(&a, c);
	}
}

/* The session's record of its allocations, for $N and default lengths. */
static void bb_track_add(struct bb_session *s, unsigned long long handle,
			 unsigned int order)
{
	if (s->nr_allocs == s->cap_allocs) {
		size_t cap = s->cap_allocs ? 2 * s->cap_allocs : 64;
		struct bb_track *n = realloc(s->allocs, cap * sizeof(*n));

		if (!n) {
			perror("buddyctl");
			exit(BB_EXIT_FAIL);
		}
		s->allocs = n;
		s->cap_allocs = cap;
	}
	s->allocs[s->nr_allocs].handle = handle;
	s->allocs[s->nr_allocs].order = order;
	s->allocs[s->nr_allocs].live = 1;
	s->nr_allocs++;
}

/* The live allocation of this session with @handle, or NULL. */
static struct bb_track *bb_track_find(struct bb_session *s, unsigned long long handle)
{
	size_t i;

	for (i = s->nr_allocs; i > 0; i--)
		if (s->allocs[i - 1].live && s->allocs[i - 1].handle == handle)
			return &s->allocs[i - 1];
	return NULL;
}

/* Resolve a handle; *t is what this session knows about it, or NULL. */
static int bb_resolve(struct bb_session *s, const struct bb_href *h,
		      unsigned long long *handle, struct bb_track **t)
{
	if (h->kind == BB_HREF_REF) {
		if (h->val > s->nr_allocs) {
			bb_set_detail(s, "$%llu: only %zu allocation(s) so far", h->val,
				      s->nr_allocs);
			return BB_EUSAGE;
		}
		*t = &s->allocs[h->val - 1];
		*handle = (*t)->handle;
		return 0;
	}
	*handle = h->val;
	*t = bb_track_find(s, h->val);
	return 0;
}

static int bb_ioctl(struct bb_session *s, unsigned long cmd, void *arg)
{
	if (ioctl(s->fd, cmd, arg) < 0)
		return -errno;
	return 0;
}

/*
 * alloc --explain: the path the module wrote, as it is (text), or as an
 * object of its own when the allocation failed (JSON; a successful one
 * carries it in its alloc object).
 */
static void bb_print_path(struct bb_session *s, const struct bb_alloc_req *req, int err)
{
	size_t len = req->path_len < BB_PATH_BUF ? req->path_len : BB_PATH_BUF - 1;

	s->path[len] = '\0';
	if (!s->path[0])
		return;		/* refused before the module wrote anything */
	if (s->json) {
		if (!err)
			return;
		printf("{\"cmd\":\"explain\",\"order\":%u,\"result\":\"%s\",\"path\":",
		       req->order, bb_errname(err));
		bb_json_str(s->path);
		printf("}\n");
		return;
	}
	fputs(s->path, stdout);
	if (s->path[strlen(s->path) - 1] != '\n')
		putchar('\n');
	if (len >= BB_PATH_BUF - 1)
		puts("(path truncated)");
}

static int bb_do_alloc(struct bb_session *s, struct bb_cmd *c)
{
	unsigned long long n;
	int err;

	if (c->explain && !s->path) {
		s->path = malloc(BB_PATH_BUF);
		if (!s->path)
			return -ENOMEM;
	}
	for (n = 0; n < c->count; n++) {
		struct bb_alloc_req req;

		memset(&req, 0, sizeof(req));
		req.order = c->order;
		req.gfp = c->gfp;
		req.nid = c->nid;
		req.nodemask = c->nodemask;
		req.flags = c->flags;
		if (c->explain) {
			s->path[0] = '\0';
			req.path = (uintptr_t)s->path;
			req.path_len = BB_PATH_BUF;
		}
		err = bb_ioctl(s, BB_IOC_ALLOC, &req);
		if (c->explain && (err || !c->quiet))
			bb_print_path(s, &req, err);
		if (err) {
			if (c->count > 1)
				bb_set_detail(s, "after %llu of %llu allocations", n, c->count);
			return err;
		}
		bb_track_add(s, req.handle, req.order);
		if (c->quiet)
			continue;
		if (s->json) {
			printf("{\"cmd\":\"alloc\",\"ref\":%zu,\"handle\":%llu,", s->nr_allocs,
			       (unsigned long long)req.handle);
			printf("\"pfn\":%llu,\"order\":%u,\"zone\":\"%s\",",
			       (unsigned long long)req.pfn, req.order, bb_zone_name(req.zone));
			printf("\"node\":%u,\"migratetype\":\"%s\"", req.node,
			       bb_mt_name(req.migratetype));
			if (c->flags & BB_ALLOC_F_CACHE)
				printf(",\"cache\":true");
			if (c->explain) {
				printf(",\"path\":");
				bb_json_str(s->path);
			}
			printf("}\n");
		} else {
			printf("handle=%llu pfn=%llu order=%u zone=%s node=%u migratetype=%s\n",
			       (unsigned long long)req.handle, (unsigned long long)req.pfn,
			       req.order, bb_zone_name(req.zone), req.node,
			       bb_mt_name(req.migratetype));
		}
	}
	if (c->quiet) {
		size_t first = s->nr_allocs - (size_t)c->count + 1;

		if (s->json)
			printf("{\"cmd\":\"alloc\",\"count\":%llu,\"order\":%u,\"ref\":%zu}\n",
			       c->count, c->order, first);
		else
			printf("allocated count=%llu order=%u refs=$%zu..$%zu\n", c->count,
			       c->order, first, s->nr_allocs);
	}
	return 0;
}

static int bb_free_one(struct bb_session *s, unsigned long long handle,
		       struct bb_track *t)
{
	struct bb_free_req req;
	int err;

	memset(&req, 0, sizeof(req));
	req.handle = handle;
	err = bb_ioctl(s, BB_IOC_FREE, &req);
	if (err) {
		bb_set_detail(s, "handle %llu", handle);
		return err;
	}
	if (t)
		t->live = 0;
	if (s->json)
		printf("{\"cmd\":\"free\",\"handle\":%llu}\n", handle);
	else
		printf("freed handle=%llu\n", handle);
	return 0;
}

static int bb_do_free(struct bb_session *s, struct bb_cmd *c)
{
	unsigned long long handle;
	struct bb_track *t;
	int err, first = 0;
	size_t i;

	if (c->href.kind != BB_HREF_ALL) {
		err = bb_resolve(s, &c->href, &handle, &t);
		return err ? err : bb_free_one(s, handle, t);
	}
	for (i = 0; i < s->nr_allocs; i++) {
		t = &s->allocs[i];
		if (!t->live)
			continue;
		err = bb_free_one(s, t->handle, t);
		if (err && !first)
			first = err;
	}
	return first;
}

/* The seeded stream: byte @pos of allocation @handle for @seed. */
static unsigned long long bb_mix64(unsigned long long x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void bb_fill(unsigned char *buf, unsigned long long len, const struct bb_cmd *c,
		    unsigned long long handle)
{
	unsigned long long key, word = 0, i;

	if (c->data == BB_DATA_PATTERN) {
		memset(buf, (int)c->value, len);
		return;
	}
	key = bb_mix64(c->value ^ bb_mix64(handle));
	for (i = 0; i < len; i++) {
		unsigned long long pos = c->offset + i;

		if (!i || !(pos & 7))
			word = bb_mix64(key + (pos >> 3));
		buf[i] = word >> (8 * (pos & 7));
	}
}

/* Offset and length of a read or write, and a buffer for them. */
static int bb_rw_prepare(struct bb_session *s, struct bb_cmd *c,
			 struct bb_rw_req *req, unsigned char **buf)
{
	unsigned long long handle, len, size;
	struct bb_track *t;
	int err;

	err = bb_resolve(s, &c->href, &handle, &t);
	if (err)
		return err;
	if (c->has_length) {
		len = c->length;
	} else {
		size = t ? (unsigned long long)s->page_size << t->order : s->page_size;
		len = c->offset < size ? size - c->offset : 0;
	}
	*buf = malloc(len ? len : 1);
	if (!*buf) {
		bb_set_detail(s, "%llu bytes", len);
		return -ENOMEM;
	}
	memset(req, 0, sizeof(*req));
	req->handle = handle;
	req->offset = c->offset;
	req->length = len;
	req->buf = (uintptr_t)*buf;
	return 0;
}

/*
 * "wrote handle=H offset=O length=L", or the start of a JSON object (whose
 * end the caller prints).
 */
static void bb_print_rw(struct bb_session *s, const char *verb,
			const struct bb_rw_req *req)
{
	if (s->quiet_rw)
		return;
	if (!s->json) {
		printf("%s handle=%llu offset=%llu length=%llu\n", verb,
		       (unsigned long long)req->handle, (unsigned long long)req->offset,
		       (unsigned long long)req->length);
		return;
	}
	printf("{\"cmd\":\"%s\",\"handle\":%llu,", strcmp(verb, "wrote") ? "read" : "write",
	       (unsigned long long)req->handle);
	printf("\"offset\":%llu,\"length\":%llu", (unsigned long long)req->offset,
	       (unsigned long long)req->length);
}

static int bb_do_write(struct bb_session *s, struct bb_cmd *c)
{
	struct bb_rw_req req;
	unsigned char *buf;
	int err;

	err = bb_rw_prepare(s, c, &req, &buf);
	if (err)
		return err;
	bb_fill(buf, req.length, c, req.handle);
	err = bb_ioctl(s, BB_IOC_WRITE, &req);
	free(buf);
	if (err)
		return err;
	bb_print_rw(s, "wrote", &req);
	if (s->json && !s->quiet_rw)
		printf("}\n");
	return 0;
}

/* hexdump -C, offsets counted from the allocation's start */
static void bb_hexdump(const unsigned char *buf, unsigned long long len,
		       unsigned long long base)
{
	unsigned long long i, n, j;
	int starred = 0;

	for (i = 0; i < len; i += 16) {
		n = len - i < 16 ? len - i : 16;
		if (i && n == 16 && !memcmp(buf + i, buf + i - 16, 16)) {
			if (!starred)
				puts("*");
			starred = 1;
			continue;
		}
		starred = 0;
		printf("%08llx ", base + i);
		for (j = 0; j < 16; j++) {
			if (j == 8)
				putchar(' ');
			if (j < n)
				printf(" %02x", buf[i + j]);
			else
				fputs("   ", stdout);
		}
		fputs("  |", stdout);
		for (j = 0; j < n; j++)
			putchar(buf[i + j] >= 0x20 && buf[i + j] < 0x7f ? buf[i + j] : '.');
		puts("|");
	}
	printf("%08llx\n", base + len);
}

static int bb_do_read(struct bb_session *s, struct bb_cmd *c)
{
	unsigned char *buf, *want = NULL;
	unsigned long long i;
	struct bb_rw_req req;
	int err;

	err = bb_rw_prepare(s, c, &req, &buf);
	if (err)
		return err;
	err = bb_ioctl(s, BB_IOC_READ, &req);
	if (err)
		goto out;

	if (c->data == BB_DATA_NONE) {
		if (!s->json) {
			bb_hexdump(buf, req.length, req.offset);
			goto out;
		}
		bb_print_rw(s, "read", &req);
		printf(",\"data\":\"");
		for (i = 0; i < req.length; i++)
			printf("%02x", buf[i]);
		printf("\"}\n");
		goto out;
	}

	want = malloc(req.length ? req.length : 1);
	if (!want) {
		err = -ENOMEM;
		goto out;
	}
	bb_fill(want, req.length, c, req.handle);
	for (i = 0; i < req.length; i++) {
		if (buf[i] != want[i]) {
			bb_set_detail(s, "mismatch at offset %llu: expected 0x%02x, read 0x%02x",
				      (unsigned long long)req.offset + i, want[i], buf[i]);
			err = BB_EMISMATCH;
			goto out;
		}
	}
	bb_print_rw(s, "verified", &req);
	if (s->json && !s->quiet_rw)
		printf(",\"verified\":true}\n");
out:
	free(want);
	free(buf);
	return err;
}

#define BB_STAT(x)	{ #x, offsetof(struct bb_stats, x) }

static const struct {
	const char *name;
	size_t offset;
} bb_stat_fields[] = {
	BB_STAT(region_pages), BB_STAT(free_pages), BB_STAT(nr_nodes),
	BB_STAT(nr_zones), BB_STAT(pgalloc), BB_STAT(pgfree),
	BB_STAT(alloc_fail), BB_STAT(fallbacks), BB_STAT(steals),
	BB_STAT(claims), BB_STAT(fd_allocations), BB_STAT(fd_pages),
};

static int bb_do_stats(struct bb_session *s)
{
	struct bb_stats st;
	unsigned int i;
	int err;

	memset(&st, 0, sizeof(st));
	err = bb_ioctl(s, BB_IOC_STATS, &st);
	if (err)
		return err;
	if (s->json)
		printf("{\"cmd\":\"stats\"");
	for (i = 0; i < ARRAY_SIZE(bb_stat_fields); i++) {
		const char *name = bb_stat_fields[i].name;
		unsigned long long v;

		v = *(const __u64 *)((const char *)&st + bb_stat_fields[i].offset);
		if (s->json)
			printf(",\"%s\":%llu", name, v);
		else
			printf("%s %llu\n", name, v);
	}
	if (s->json)
		printf("}\n");
	return 0;
}

static int bb_do_ioctl(struct bb_session *s, struct bb_cmd *c)
{
	static unsigned char buf[BB_IOCTL_BUF];
	int ret;

	memset(buf, 0, sizeof(buf));
	ret = ioctl(s->fd, c->ioctl_cmd, buf);
	if (ret < 0)
		return -errno;
	if (s->json)
		printf("{\"cmd\":\"ioctl\",\"ioctl\":%lu,\"ret\":%d}\n", c->ioctl_cmd, ret);
	else
		printf("ioctl 0x%lx returned %d\n", c->ioctl_cmd, ret);
	return 0;
}

/* BB_IOC_ATTACH: 0 or -errno */
static int bb_ioc_attach(struct bb_session *s, const char *name)
{
	struct bb_attach_req req;

	memset(&req, 0, sizeof(req));
	if (strlen(name) >= sizeof(req.name))
		return -ENAMETOOLONG;
	memcpy(req.name, name, strlen(name));	/* zeroed: stays terminated */
	return ioctl(s->fd, BB_IOC_ATTACH, &req) < 0 ? -errno : 0;
}

static int bb_do_attach(struct bb_session *s, struct bb_cmd *c)
{
	int err = bb_ioc_attach(s, c->echo);

	if (err)
		return err;
	if (s->json) {
		printf("{\"cmd\":\"attach\",\"sandbox\":");
		bb_json_str(c->echo);
		printf("}\n");
	} else {
		printf("attached %s\n", c->echo);
	}
	return 0;
}

static int bb_do_sleep(struct bb_cmd *c)
{
	struct timespec ts;

	fflush(stdout);
	ts.tv_sec = c->ms / 1000;
	ts.tv_nsec = (c->ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

static int bb_do_echo(struct bb_session *s, struct bb_cmd *c)
{
	if (s->json) {
		printf("{\"cmd\":\"echo\",\"text\":");
		bb_json_str(c->echo);
		printf("}\n");
	} else {
		printf("%s\n", c->echo);
	}
	return 0;
}

/*
 * write all, read all: every live allocation of this invocation, in order.
 * A write, or a read that verifies, prints one summary line.
 */
static int bb_do_rw_all(struct bb_session *s, struct bb_cmd *c)
{
	int write = c->kind == BB_CMD_WRITE;
	struct bb_cmd one = *c;
	size_t i, done = 0;
	int err = 0;

	s->quiet_rw = write || c->data != BB_DATA_NONE;
	one.href.kind = BB_HREF_REF;
	for (i = 0; i < s->nr_allocs && !err; i++) {
		if (!s->allocs[i].live)
			continue;
		one.href.val = i + 1;
		err = write ? bb_do_write(s, &one) : bb_do_read(s, &one);
		if (err && !s->detail[0])
			bb_set_detail(s, "handle %llu", s->allocs[i].handle);
		done += !err;
	}
	if (!err && s->quiet_rw) {
		if (s->json)
			printf("{\"cmd\":\"%s\",\"all\":true,\"count\":%zu%s}\n",
			       write ? "write" : "read", done, write ? "" : ",\"verified\":true");
		else
			printf("%s all count=%zu\n", write ? "wrote" : "verified", done);
	}
	s->quiet_rw = 0;
	return err;
}

static const char *bb_state_name(unsigned int state)
{
	return bb_name(bb_state_names, ARRAY_SIZE(bb_state_names), state);
}

static int bb_do_lookup(struct bb_session *s, struct bb_cmd *c)
{
	struct bb_lookup_req req;
	unsigned long long handle;
	struct bb_track *t;
	int err;

	err = bb_resolve(s, &c->href, &handle, &t);
	if (err)
		return err;
	memset(&req, 0, sizeof(req));
	req.handle = handle;
	err = bb_ioctl(s, BB_IOC_LOOKUP, &req);
	if (err) {
		bb_set_detail(s, "handle %llu", handle);
		return err;
	}
	if (s->json) {
		printf("{\"cmd\":\"lookup\",\"handle\":%llu,\"pfn\":%llu,\"order\":%u,",
		       handle, (unsigned long long)req.pfn, req.order);
		printf("\"zone\":\"%s\",\"node\":%u,\"migratetype\":\"%s\",",
		       bb_zone_name(req.zone), req.node, bb_mt_name(req.migratetype));
		printf("\"state\":\"%s\",\"migrations\":%u}\n", bb_state_name(req.state),
		       req.migrations);
	} else {
		printf("handle=%llu pfn=%llu order=%u zone=%s node=%u migratetype=%s ",
		       handle, (unsigned long long)req.pfn, req.order, bb_zone_name(req.zone),
		       req.node, bb_mt_name(req.migratetype));
		printf("state=%s migrations=%u\n", bb_state_name(req.state), req.migrations);
	}
	return 0;
}

static int bb_do_oom_adj(struct bb_session *s, struct bb_cmd *c)
{
	struct bb_oom_req req;
	int err;

	memset(&req, 0, sizeof(req));
	req.set = c->has_value;
	req.oom_score_adj = c->adj;
	err = bb_ioctl(s, BB_IOC_OOM_SCORE_ADJ, &req);
	if (err)
		return err;
	if (s->json)
		printf("{\"cmd\":\"oom-score-adj\",\"oom_score_adj\":%d}\n", req.oom_score_adj);
	else
		printf("oom_score_adj=%d\n", req.oom_score_adj);
	return 0;
}

static long long bb_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* poll() until the OOM killer chose this descriptor: POLLPRI (and POLLERR) */
static int bb_do_wait_oom(struct bb_session *s, struct bb_cmd *c)
{
	long long end = bb_now_ms() + (long long)c->ms;
	struct pollfd pfd;
	int ret;

	fflush(stdout);
	for (;;) {
		long long left = end - bb_now_ms();
		int timeout = -1;

		if (c->has_value)
			timeout = left < 0 ? 0 : left > 86400000 ? 86400000 : (int)left;
		memset(&pfd, 0, sizeof(pfd));
		pfd.fd = s->fd;
		pfd.events = POLLPRI;
		ret = poll(&pfd, 1, timeout);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (pfd.revents & POLLNVAL)
			return -EBADF;
		if (pfd.revents & POLLPRI)
			break;
		if (!ret) {
			bb_set_detail(s, "not chosen within %llu s", c->ms / 1000);
			return -ETIMEDOUT;
		}
		/* POLLERR alone, POLLHUP: not what the module says on a kill */
		bb_set_detail(s, "poll revents 0x%x", pfd.revents);
		return -EIO;
	}
	if (s->json)
		printf("{\"cmd\":\"wait-oom\",\"oom_killed\":true,\"revents\":%d}\n",
		       pfd.revents);
	else
		printf("oom-killed\n");
	return 0;
}

static int bb_do_bulk_alloc(struct bb_session *s, struct bb_cmd *c)
{
	unsigned long long done = 0;
	size_t first = s->nr_allocs + 1;
	unsigned int chunk = BB_BULK_MAX;
	__u64 *handles;
	int err = 0;

	handles = malloc(BB_BULK_MAX * sizeof(*handles));
	if (!handles)
		return -ENOMEM;
	while (done < c->count) {
		struct bb_bulk_req req;
		unsigned int i;

		memset(&req, 0, sizeof(req));
		req.handles = (uintptr_t)handles;
		req.nr = c->count - done < chunk ? c->count - done : chunk;
		req.gfp = c->gfp;
		req.nid = c->nid;
		err = bb_ioctl(s, BB_IOC_ALLOC_BULK, &req);
		if (err)
			break;
		for (i = 0; i < req.nr_done && i < req.nr; i++)
			bb_track_add(s, handles[i], 0);
		done += req.nr_done;
		/* it stops at the first page it cannot get: ask for the rest */
		if (!req.nr_done) {
			err = -ENOMEM;
			break;
		}
		/*
		 * Short: near the watermarks the module serves one page a
		 * call (as alloc_pages_bulk() does when the zone cannot take
		 * the whole batch), while preparing for the whole batch: ask
		 * for less.
		 */
		if (req.nr_done < req.nr && chunk > 1)
			chunk /= 2;
	}
	free(handles);
	if (err) {
		bb_set_detail(s, "after %llu of %llu pages", done, c->count);
		return err;
	}
	if (s->json)
		printf("{\"cmd\":\"bulk-alloc\",\"count\":%llu,\"ref\":%zu}\n", done, first);
	else
		printf("bulk-allocated count=%llu refs=$%zu..$%zu\n", done, first, s->nr_allocs);
	return 0;
}

/* the handles of bulk-free, and their tracks (NULL when unknown) */
static int bb_bulk_free_some(struct bb_session *s, __u64 *handles, struct bb_track **tracks,
			     unsigned int nr, unsigned long long *freed)
{
	struct bb_bulk_req req;
	unsigned int i;
	int err;

	memset(&req, 0, sizeof(req));
	req.handles = (uintptr_t)handles;
	req.nr = nr;
	err = bb_ioctl(s, BB_IOC_FREE_BULK, &req);
	for (i = 0; i < req.nr_done && i < nr; i++)
		if (tracks[i])
			tracks[i]->live = 0;
	*freed += req.nr_done;
	if (err && req.nr_done < nr)
		bb_set_detail(s, "handle %llu, after %llu freed",
			      (unsigned long long)handles[req.nr_done], *freed);
	return err;
}

static int bb_do_bulk_free(struct bb_session *s, struct bb_cmd *c)
{
	struct bb_track **tracks;
	unsigned long long freed = 0;
	unsigned int nr = 0;
	__u64 *handles;
	size_t i, total;
	int err = 0;

	handles = malloc(BB_BULK_MAX * sizeof(*handles));
	tracks = malloc(BB_BULK_MAX * sizeof(*tracks));
	if (!handles || !tracks) {
		free(handles);
		free(tracks);
		return -ENOMEM;
	}
	total = c->nr_hrefs ? c->nr_hrefs : s->nr_allocs;
	for (i = 0; i < total && !err; i++) {
		unsigned long long handle;
		struct bb_track *t;

		if (c->nr_hrefs) {
			err = bb_resolve(s, &c->hrefs[i], &handle, &t);
			if (err)
				break;
		} else {
			t = &s->allocs[i];
			if (!t->live)
				continue;
			handle = t->handle;
		}
		handles[nr] = handle;
		tracks[nr++] = t;
		if (nr == BB_BULK_MAX) {
			err = bb_bulk_free_some(s, handles, tracks, nr, &freed);
			nr = 0;
		}
	}
	if (!err && nr)
		err = bb_bulk_free_some(s, handles, tracks, nr, &freed);
	free(handles);
	free(tracks);
	if (err)
		return err;
	if (s->json)
		printf("{\"cmd\":\"bulk-free\",\"count\":%llu}\n", freed);
	else
		printf("bulk-freed count=%llu\n", freed);
	return 0;
}

static int bb_run_one(struct bb_session *s, struct bb_cmd *c)
{
	switch (c->kind) {
	case BB_CMD_ALLOC:
		return bb_do_alloc(s, c);
	case BB_CMD_FREE:
		return bb_do_free(s, c);
	case BB_CMD_WRITE:
		return c->href.kind == BB_HREF_ALL ? bb_do_rw_all(s, c) : bb_do_write(s, c);
	case BB_CMD_READ:
		return c->href.kind == BB_HREF_ALL ? bb_do_rw_all(s, c) : bb_do_read(s, c);
	case BB_CMD_LOOKUP:
		return bb_do_lookup(s, c);
	case BB_CMD_OOM_ADJ:
		return bb_do_oom_adj(s, c);
	case BB_CMD_WAIT_OOM:
		return bb_do_wait_oom(s, c);
	case BB_CMD_BULK_ALLOC:
		return bb_do_bulk_alloc(s, c);
	case BB_CMD_BULK_FREE:
		return bb_do_bulk_free(s, c);
	case BB_CMD_STATS:
		return bb_do_stats(s);
	case BB_CMD_IOCTL:
		return bb_do_ioctl(s, c);
	case BB_CMD_SLEEP:
		return bb_do_sleep(c);
	case BB_CMD_ECHO:
		return bb_do_echo(s, c);
	case BB_CMD_ATTACH:
		return bb_do_attach(s, c);
	}
	return BB_EUSAGE;
}

/* Run a command, expect-fail included; 0 when it did what was asked. */
static int bb_run(struct bb_session *s, struct bb_cmd *c)
{
	int err;

	s->detail[0] = '\0';
	err = bb_run_one(s, c);
	if (err == -ENODEV && !s->sandbox)
		bb_set_detail(s, "no sandbox \"default\": name one with --sandbox");
	else if (err == -EALREADY && c->kind == BB_CMD_ATTACH)
		bb_set_detail(s, "the descriptor works on a sandbox already");
	if (!c->expect) {
		if (err)
			bb_report(s, c, err, 0);
		fflush(stdout);
		return err ? -1 : 0;
	}
	if (err == c->expect) {
		if (s->json) {
			printf("{\"cmd\":\"expect-fail\",\"line\":%u,\"command\":", c->line);
			bb_json_str(c->text);
			printf(",\"error\":\"%s\",\"ok\":true}\n", bb_errname(err));
		} else {
			printf("failed as expected: %s\n", c->text);
		}
		fflush(stdout);
		return 0;
	}
	bb_report(s, c, err ? err : BB_ESUCCESS, c->expect);
	return -1;
}

/* --sandbox: bind the descriptor to that sandbox before anything else */
static int bb_attach(struct bb_session *s)
{
	int err = -bb_ioc_attach(s, s->sandbox);
	const char *why = "";

	if (!err)
		return 0;
	if (err == ENOENT)
		why = "; no such sandbox, or it is being destroyed";
	else if (err == EINVAL)
		why = "; a name is 1 to 15 of a-z, 0-9, _ and -";
	fprintf(stderr, "buddyctl: --sandbox %s: %s (%s)%s\n", s->sandbox, strerror(err),
		bb_errname(-err), why);
	return -1;
}

static int bb_needs_device(const struct bb_cmd *cmds, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (cmds[i].kind != BB_CMD_SLEEP && cmds[i].kind != BB_CMD_ECHO)
			return 1;
	return 0;
}

static int bb_run_all(struct bb_session *s, struct bb_cmd *cmds, size_t nr)
{
	int failed = 0;
	size_t i;

	if (bb_needs_device(cmds, nr)) {
		s->fd = open(s->device, O_RDWR | O_CLOEXEC);
		if (s->fd < 0) {
			int err = errno;

			fprintf(stderr, "buddyctl: %s: %s (%s)%s\n", s->device, strerror(err),
				bb_errname(-err),
				err == ENOENT ? "; is buddybox.ko loaded?" : "");
			return BB_EXIT_FAIL;
		}
		if (s->sandbox && bb_attach(s)) {
			close(s->fd);
			return BB_EXIT_FAIL;
		}
	}
	for (i = 0; i < nr; i++) {
		if (bb_run(s, &cmds[i])) {
			failed = 1;
			if (!s->keep_going)
				break;
		}
	}
	fflush(stdout);
	if (s->fd >= 0)
		close(s->fd);
	return failed ? BB_EXIT_FAIL : 0;
}

static void bb_cmds_grow(struct bb_cmd **cmds, size_t nr, size_t *cap)
{
	struct bb_cmd *n;

	if (nr < *cap)
		return;
	*cap = *cap ? 2 * *cap : 16;
	n = realloc(*cmds, *cap * sizeof(**cmds));
	if (!n) {
		perror("buddyctl");
		exit(BB_EXIT_FAIL);
	}
	*cmds = n;
}

/*
 * map: the pageblock_map text of the sandbox (or of --from) drawn as SVG
 * by tools/lib/bbmap.c, the renderer bbsim --map uses too.
 */
static int bb_map(const char *sandbox, int argc, char **argv)
{
	const char *svg = NULL, *from = NULL, *debugfs = BB_DEFAULT_DEBUGFS;
	const char *name = sandbox ? sandbox : "default";
	char path[4096], err[512];
	struct bbmap map;
	FILE *in;
	int i, ret;

	for (i = 0; i < argc; i++) {
		const char **val;

		if (!strcmp(argv[i], "--svg")) {
			val = &svg;
		} else if (!strcmp(argv[i], "--from")) {
			val = &from;
		} else if (!strcmp(argv[i], "--debugfs")) {
			val = &debugfs;
		} else {
			bb_parse_error(0, "map: unknown argument %s", argv[i]);
			return BB_EXIT_USAGE;
		}
		if (++i == argc) {
			bb_parse_error(0, "map: %s needs a value", argv[i - 1]);
			return BB_EXIT_USAGE;
		}
		*val = argv[i];
	}
	if (!svg) {
		bb_parse_error(0, "map: --svg FILE is required");
		return BB_EXIT_USAGE;
	}
	if (from) {
		snprintf(path, sizeof(path), "%s", strcmp(from, "-") ? from : "stdin");
		in = strcmp(from, "-") ? fopen(from, "r") : stdin;
	} else {
		snprintf(path, sizeof(path), "%s/%s/pageblock_map", debugfs, name);
		in = fopen(path, "r");
	}
	if (!in) {
		int e = errno;

		fprintf(stderr, "buddyctl: map: %s: %s (%s)%s\n", path, strerror(e),
			bb_errname(-e), e == ENOENT && !from ?
			"; is debugfs mounted, buddybox.ko loaded, the sandbox there?" : "");
		return BB_EXIT_FAIL;
	}
	ret = bbmap_parse(in, path, &map, err, sizeof(err));
	if (in != stdin)
		fclose(in);
	if (ret) {
		fprintf(stderr, "buddyctl: map: %s\n", err);
		return BB_EXIT_FAIL;
	}
	ret = bbmap_svg_file(svg, &map, name);
	if (ret)
		fprintf(stderr, "buddyctl: map: %s: %s\n", svg, strerror(errno));
	else
		printf("map: %zu pageblocks in %zu zones drawn into %s\n",
		       map.nr_blocks, map.nr_zones, svg);
	bbmap_free(&map);
	return ret ? BB_EXIT_FAIL : 0;
}

/* Read a script: one command per line, '#' starts a comment word. */
static int bb_read_script(const char *path, struct bb_cmd **cmds, size_t *nr)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL, **argv = NULL;
	size_t linecap = 0, cap = 0;
	unsigned int lineno = 0;
	int ret = 0;

	if (!f) {
		int err = errno;

		fprintf(stderr, "buddyctl: %s: %s (%s)\n", path, strerror(err),
			bb_errname(-err));
		return BB_EXIT_FAIL;
	}
	while (getline(&line, &linecap, f) >= 0) {
		int argc = 0;
		char *p, *tok;

		lineno++;
		/* at most one word per two characters */
		free(argv);
		argv = calloc(strlen(line) / 2 + 2, sizeof(*argv));
		if (!argv) {
			perror("buddyctl");
			exit(BB_EXIT_FAIL);
		}
		for (p = line; (tok = strtok(p, " \t\r\n")); p = NULL) {
			if (tok[0] == '#')
				break;
			argv[argc++] = tok;
		}
		if (!argc)
			continue;
		bb_cmds_grow(cmds, *nr, &cap);
		/* counted even when bad, to be freed */
		if (bb_parse_cmd(&(*cmds)[(*nr)++], argc, argv, lineno)) {
			ret = BB_EXIT_USAGE;
			break;
		}
	}
	if (!ret && ferror(f)) {
		fprintf(stderr, "buddyctl: %s: read error\n", path);
		ret = BB_EXIT_FAIL;
	}
	free(argv);
	free(line);
	if (f != stdin)
		fclose(f);
	return ret;
}

int main(int argc, char **argv)
{
	struct bb_session s;
	struct bb_cmd *cmds = NULL;
	size_t nr = 0, cap = 0;
	int i, start, ret;
	long ps;

	/*
	 * Whole lines only: a script that polls our output (while we hold
	 * allocations, say) must never see half a line.
	 */
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&s, 0, sizeof(s));
	s.device = BB_DEFAULT_DEVICE;
	s.fd = -1;
	ps = sysconf(_SC_PAGESIZE);
	s.page_size = ps > 0 ? ps : 4096;

	for (i = 1; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			bb_usage(stdout);
			return 0;
		} else if (!strcmp(arg, "-j") || !strcmp(arg, "--json")) {
			s.json = 1;
		} else if (!strcmp(arg, "-k") || !strcmp(arg, "--keep-going")) {
			s.keep_going = 1;
		} else if (!strncmp(arg, "--sandbox=", 10)) {
			s.sandbox = arg + 10;
		} else if (!strcmp(arg, "-s") || !strcmp(arg, "--sandbox")) {
			if (++i == argc) {
				bb_parse_error(0, "%s needs a value", arg);
				return BB_EXIT_USAGE;
			}
			s.sandbox = argv[i];
		} else if (!strncmp(arg, "--device=", 9)) {
			s.device = arg + 9;
		} else if (!strcmp(arg, "-d") || !strcmp(arg, "--device")) {
			if (++i == argc) {
				bb_parse_error(0, "%s needs a value", arg);
				return BB_EXIT_USAGE;
			}
			s.device = argv[i];
		} else {
			bb_parse_error(0, "unknown option %s", arg);
			return BB_EXIT_USAGE;
		}
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i == argc) {
		bb_parse_error(0, "no command");
		return BB_EXIT_USAGE;
	}

	if (!strcmp(argv[i], "map"))
		return bb_map(s.sandbox, argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "replay"))
		return bb_replay_main(argc - i, argv + i, s.device, s.sandbox);
	if (!strcmp(argv[i], "script")) {
		if (argc - i != 2) {
			bb_parse_error(0, "script: takes one FILE (or -) and no other command");
			return BB_EXIT_USAGE;
		}
		ret = bb_read_script(argv[i + 1], &cmds, &nr);
		if (ret)
			goto out;
	} else {
		/* commands separated by "--" */
		for (start = i; i <= argc; i++) {
			if (i < argc && strcmp(argv[i], "--"))
				continue;
			if (i == start) {
				bb_parse_error(0, "empty command around --");
				ret = BB_EXIT_USAGE;
				goto out;
			}
			bb_cmds_grow(&cmds, nr, &cap);
			/* counted even when bad, to be freed */
			if (bb_parse_cmd(&cmds[nr++], i - start, argv + start, 0)) {
				ret = BB_EXIT_USAGE;
				goto out;
			}
			start = i + 1;
		}
	}

	ret = bb_run_all(&s, cmds, nr);
out:
	for (i = 0; (size_t)i < nr; i++) {
		free(cmds[i].text);
		free(cmds[i].echo);
		free(cmds[i].hrefs);
	}
	free(cmds);
	free(s.allocs);
	free(s.path);
	return ret;
}
