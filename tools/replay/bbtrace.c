// SPDX-License-Identifier: GPL-2.0
/*
 * bbtrace: the kernel's kmem page events as ftrace prints them (tracefs'
 * trace or trace_pipe, trace-cmd report), e.g.
 *
 *   cp-98 [001] ..... 12.345678: mm_page_alloc: page=00000000deadbeef
 *	pfn=0x3fed6 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE
 *
 * and the bookkeeping of a replay (bbtrace.h says what each event means
 * for it).  The gfp names are those of the kernel's show_gfp_flags(), read
 * into buddybox's bits through the uapi header's table; the names a 6.1
 * trace prints that the table does not have are below.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buddybox.h"	/* the uapi header (-I module/uapi) */
#include "bbtrace.h"

#if BB_MAX_ORDER != BBT_MAX_ORDER
#error "BBT_MAX_ORDER is not the uapi's BB_MAX_ORDER"
#endif

const char * const bbt_kind_names[BBT_NR_KINDS] = {
	[BBT_ALLOC] = "mm_page_alloc",
	[BBT_FREE] = "mm_page_free",
	[BBT_FREE_BATCHED] = "mm_page_free_batched",
	[BBT_PCPU_DRAIN] = "mm_page_pcpu_drain",
};

const char * const bbt_error_names[BBT_NR_ERRORS] = {
	[BBT_ERR_UNKNOWN_EVENT] = "unknown_event",
	[BBT_ERR_MALFORMED] = "malformed",
	[BBT_ERR_ORDER] = "bad_order",
	[BBT_ERR_GFP] = "bad_gfp",
	[BBT_ERR_LONG] = "too_long",
};

const char * const bbt_vm_names[BBT_NR_VM] = {
	[BBT_VM_FALLBACK] = "alloc_fallback",
	[BBT_VM_STEAL] = "alloc_steal",
	[BBT_VM_CLAIM] = "alloc_claim",
	[BBT_VM_HIGHATOMIC] = "highatomic_reserve",
	[BBT_VM_COMPACT_STALL] = "compact_stall",
	[BBT_VM_COMPACT_SUCCESS] = "compact_success",
	[BBT_VM_COMPACT_FAIL] = "compact_fail",
	[BBT_VM_COMPACT_DAEMON_WAKE] = "compact_daemon_wake",
	[BBT_VM_KSWAPD_WAKE] = "kswapd_wake",
	[BBT_VM_PGSTEAL_KSWAPD] = "pgsteal_kswapd",
	[BBT_VM_PGSTEAL_DIRECT] = "pgsteal_direct",
	[BBT_VM_ALLOCSTALL] = "allocstall",
	[BBT_VM_OOM_KILL] = "oom_kill",
};

const char * const bbt_fb_names[BBT_NR_FB] = {
	[BBT_FB_CLAIM] = "claim",
	[BBT_FB_STEAL] = "steal",
	[BBT_FB_POLLUTE] = "pollute",
};

const char * const bbt_text_files[5] = {
	"buddyinfo", "vmstat", "pagetypeinfo", "pageblocks", "fallbacks",
};

/* ---- gfp names ---- */

struct bbt_gfp_name {
	const char *name;
	unsigned int gfp;
};

static const struct bbt_gfp_name bbt_gfp_names[] = BB_GFP_NAMES_INIT;

/*
 * Names a 6.1 trace prints that buddybox has no flag for.  The
 * transparent huge page masks are spelt out in buddybox's bits (a movable
 * highuser compound request that may not reclaim, or only directly); the
 * others carry no meaning for the sandbox (memcg accounting, dirty
 * balancing, lockdep, KASAN and memory tagging) and count as ignored.
 */
#define BBT_THP_LIGHT	((BB_GFP_HIGHUSER_MOVABLE | BB___GFP_COMP | \
			  BB___GFP_NOMEMALLOC | BB___GFP_NOWARN) & \
			 ~BB___GFP_RECLAIM)

static const struct bbt_gfp_name bbt_trace_gfp_names[] = {
	{ "GFP_TRANSHUGE_LIGHT", BBT_THP_LIGHT },
	{ "GFP_TRANSHUGE", BBT_THP_LIGHT | BB___GFP_DIRECT_RECLAIM },
	{ "GFP_KERNEL_ACCOUNT", BB_GFP_KERNEL },
	{ "none", 0 },
};

static const char * const bbt_gfp_ignored[] = {
	"__GFP_ACCOUNT", "__GFP_WRITE", "__GFP_NOLOCKDEP", "__GFP_ZEROTAGS",
	"__GFP_SKIP_ZERO", "__GFP_SKIP_KASAN_POISON",
	"__GFP_SKIP_KASAN_UNPOISON",
};

static int bbt_gfp_word(const char *w, size_t len, unsigned int *gfp,
			int *ignored)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bbt_gfp_names); i++)
		if (strlen(bbt_gfp_names[i].name) == len &&
		    !memcmp(w, bbt_gfp_names[i].name, len)) {
			*gfp |= bbt_gfp_names[i].gfp;
			return 0;
		}
	for (i = 0; i < ARRAY_SIZE(bbt_trace_gfp_names); i++)
		if (strlen(bbt_trace_gfp_names[i].name) == len &&
		    !memcmp(w, bbt_trace_gfp_names[i].name, len)) {
			*gfp |= bbt_trace_gfp_names[i].gfp;
			return 0;
		}
	for (i = 0; i < ARRAY_SIZE(bbt_gfp_ignored); i++)
		if (strlen(bbt_gfp_ignored[i]) == len &&
		    !memcmp(w, bbt_gfp_ignored[i], len)) {
			*ignored = 1;
			return 0;
		}
	return -EINVAL;
}

/* "GFP_KERNEL|__GFP_ZERO"; 0 or -EINVAL */
static int bbt_parse_gfp(const char *s, unsigned int *gfp, int *ignored)
{
	*gfp = 0;
	*ignored = 0;
	if (!*s)
		return -EINVAL;
	for (;;) {
		size_t len = strcspn(s, "|");

		if (!len || bbt_gfp_word(s, len, gfp, ignored))
			return -EINVAL;
		s += len;
		if (!*s)
			return 0;
		s++;
	}
}

/* ---- reading ---- */

static int bbt_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

int bbt_open(struct bbt_reader *r, const char *path, int strict, FILE *err)
{
	int fd[2];

	memset(r, 0, sizeof(*r));
	r->path = path;
	r->strict = strict;
	r->err = err;
	r->child = -1;
	if (!bbt_ends_with(path, ".xz")) {
		r->f = fopen(path, "r");
		if (!r->f) {
			fprintf(err, "%s: %s\n", path, strerror(errno));
			return -errno;
		}
		return 0;
	}
	/* a compressed trace: read xz's output */
	if (access(path, R_OK)) {
		fprintf(err, "%s: %s\n", path, strerror(errno));
		return -errno;
	}
	if (pipe(fd))
		return -errno;
	r->child = fork();
	if (r->child < 0) {
		close(fd[0]);
		close(fd[1]);
		return -errno;
	}
	if (!r->child) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execlp("xz", "xz", "-dc", "--", path, (char *)NULL);
		fprintf(stderr, "%s: cannot run xz: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(fd[1]);
	r->f = fdopen(fd[0], "r");
	if (!r->f) {
		close(fd[0]);
		return -errno;
	}
	return 0;
}

int bbt_close(struct bbt_reader *r)
{
	int status, ret = 0;

	if (r->f)
		fclose(r->f);
	r->f = NULL;
	if (r->child > 0) {
		/* stopped early, xz may have died of SIGPIPE: no matter */
		if (waitpid(r->child, &status, 0) < 0 ||
		    (r->at_end && (!WIFEXITED(status) || WEXITSTATUS(status)))) {
			fprintf(r->err, "%s: xz -dc failed\n", r->path);
			ret = -EIO;
		}
		r->child = -1;
	}
	return ret;
}

unsigned long bbt_nr_errors(const struct bbt_reader *r)
{
	unsigned long n = 0;
	int i;

	for (i = 0; i < BBT_NR_ERRORS; i++)
		n += r->errors[i];
	return n;
}

/* count a bad line; -EINVAL when it stops the reading (--strict) */
static int bbt_bad(struct bbt_reader *r, enum bbt_error e, const char *what)
{
	r->errors[e]++;
	if (r->strict || r->reported < BBT_REPORT_MAX)
		fprintf(r->err, "%s:%lu: %s\n", r->path, r->line, what);
	else if (r->reported == BBT_REPORT_MAX)
		fprintf(r->err, "%s: more bad lines: only counted\n", r->path);
	r->reported++;
	return r->strict ? -EINVAL : 0;
}

/* the value of " key=" in @fields, up to the next blank; NULL if absent */
static const char *bbt_field(const char *fields, const char *key, size_t *len)
{
	size_t klen = strlen(key);
	const char *p = fields;

	while ((p = strstr(p, key))) {
		if ((p == fields || p[-1] == ' ') && p[klen] == '=') {
			p += klen + 1;
			*len = strcspn(p, " \t\n");
			return p;
		}
		p += klen;
	}
	return NULL;
}

static int bbt_field_ull(const char *fields, const char *key, int base,
			 unsigned long long *out)
{
	char tmp[32], *end;
	const char *v;
	size_t len;

	v = bbt_field(fields, key, &len);
	if (!v || !len || len >= sizeof(tmp) || *v == '-')
		return -EINVAL;
	memcpy(tmp, v, len);
	tmp[len] = '\0';
	errno = 0;
	*out = strtoull(tmp, &end, base);
	return errno || *end ? -EINVAL : 0;
}

/*
 * Where the event's name starts: after the timestamp, the first blank
 * separated word that ends with ':' and is digits and a dot.
 */
static char *bbt_find_event(char *s)
{
	char *w = s, *end;

	while (*w) {
		w += strspn(w, " \t");
		end = w + strcspn(w, " \t");
		if (end > w + 1 && end[-1] == ':' &&
		    strspn(w, "0123456789.") == (size_t)(end - w - 1) &&
		    memchr(w, '.', end - w))
			return end + strspn(end, " \t");
		w = end;
	}
	return NULL;
}

/* one line: 1 with an event, 0 for none (comment, blank), <0 to stop */
static int bbt_line(struct bbt_reader *r, char *s, struct bbt_event *ev)
{
	unsigned long long pfn, order, mt = 0;
	char *name, *colon, *fields, *p;
	const char *gfp;
	size_t len;
	int kind, ignored;
	char tmp[512];

	s[strcspn(s, "\r\n")] = '\0';
	p = s + strspn(s, " \t");
	if (!*p || *p == '#')
		return 0;
	/* the ring buffer lost events: "CPU:1 [LOST 12 EVENTS]" */
	colon = strncmp(p, "CPU:", 4) ? NULL : strstr(p, "[LOST ");
	if (colon) {
		r->lost_lines++;
		r->lost_events += strtoul(colon + 6, NULL, 10);
		return 0;
	}
	name = bbt_find_event(s);
	if (!name || !*name)
		return bbt_bad(r, BBT_ERR_MALFORMED, "no event name after a timestamp");
	colon = strchr(name, ':');
	if (!colon || colon == name)
		return bbt_bad(r, BBT_ERR_MALFORMED, "the event name has no ':'");
	*colon = '\0';
	fields = colon + 1;
	for (kind = 0; kind < BBT_NR_KINDS; kind++)
		if (!strcmp(name, bbt_kind_names[kind]))
			break;
	if (kind == BBT_NR_KINDS) {
		snprintf(tmp, sizeof(tmp), "unknown event %.64s", name);
		return bbt_bad(r, BBT_ERR_UNKNOWN_EVENT, tmp);
	}
	if (bbt_field_ull(fields, "pfn", 16, &pfn))
		return bbt_bad(r, BBT_ERR_MALFORMED, "pfn= missing or not a number");
	if (bbt_field_ull(fields, "order", 10, &order))
		return bbt_bad(r, BBT_ERR_MALFORMED, "order= missing or not a number");
	if (order >= BBT_MAX_ORDER) {
		snprintf(tmp, sizeof(tmp), "order %llu out of range (0 .. %d)",
			 order, BBT_MAX_ORDER - 1);
		return bbt_bad(r, BBT_ERR_ORDER, tmp);
	}
	memset(ev, 0, sizeof(*ev));
	if (kind == BBT_ALLOC || kind == BBT_PCPU_DRAIN) {
		if (bbt_field_ull(fields, "migratetype", 10, &mt) || mt > 255)
			return bbt_bad(r, BBT_ERR_MALFORMED,
				       "migratetype= missing or not a number");
	}
	if (kind == BBT_ALLOC) {
		gfp = bbt_field(fields, "gfp_flags", &len);
		if (!gfp)
			return bbt_bad(r, BBT_ERR_MALFORMED, "gfp_flags= missing");
		if (len >= sizeof(tmp))
			return bbt_bad(r, BBT_ERR_GFP, "gfp_flags= too long");
		memcpy(tmp, gfp, len);
		tmp[len] = '\0';
		if (bbt_parse_gfp(tmp, &ev->gfp, &ignored)) {
			char msg[600];

			snprintf(msg, sizeof(msg), "gfp_flags=%s: a flag buddybox does not know", tmp);
			return bbt_bad(r, BBT_ERR_GFP, msg);
		}
		r->gfp_ignored += ignored;
		/* a failed request: pfn=0x0 and no page (printed as 0 or (null)) */
		p = strstr(fields, "page=");
		ev->no_page = p && (!strncmp(p + 5, "(null)", 6) ||
				    strspn(p + 5, "0") == strcspn(p + 5, " ")) &&
			      pfn == 0;
	}
	ev->kind = kind;
	ev->line = r->line;
	ev->pfn = pfn;
	ev->order = order;
	ev->migratetype = (int)mt;
	r->events[kind]++;
	return 1;
}

int bbt_next(struct bbt_reader *r, struct bbt_event *ev)
{
	int ret;

	while (fgets(r->buf, sizeof(r->buf), r->f)) {
		size_t len = strlen(r->buf);

		r->line++;
		if (len > BBT_LINE_MAX ||
		    (len == sizeof(r->buf) - 1 && r->buf[len - 1] != '\n')) {
			int c;

			/* skip the rest of the line */
			while ((c = fgetc(r->f)) != EOF && c != '\n')
				;
			ret = bbt_bad(r, BBT_ERR_LONG, "line too long");
			if (ret)
				return ret;
			continue;
		}
		ret = bbt_line(r, r->buf, ev);
		if (ret)
			return ret;
	}
	if (ferror(r->f))
		return -EIO;
	r->at_end = 1;
	return 0;
}

/* ---- the pfn map: open addressing, linear probing ---- */

#define BBT_EMPTY	(~0ULL)

void bbt_map_init(struct bbt_map *m)
{
	memset(m, 0, sizeof(*m));
}

void bbt_map_release(struct bbt_map *m)
{
	free(m->key);
	free(m->val);
	free(m->order);
	bbt_map_init(m);
}

static size_t bbt_hash(unsigned long long pfn, size_t cap)
{
	return (size_t)((pfn * 0x9e3779b97f4a7c15ULL) >> 17) & (cap - 1);
}

static size_t bbt_slot(const struct bbt_map *m, unsigned long long pfn)
{
	size_t i = bbt_hash(pfn, m->cap);

	while (m->key[i] != BBT_EMPTY && m->key[i] != pfn)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int bbt_map_grow(struct bbt_map *m)
{
	struct bbt_map n;
	size_t i, j;

	n.cap = m->cap ? m->cap * 2 : 1024;
	n.nr = 0;
	n.key = malloc(n.cap * sizeof(*n.key));
	n.val = malloc(n.cap * sizeof(*n.val));
	n.order = malloc(n.cap);
	if (!n.key || !n.val || !n.order) {
		free(n.key);
		free(n.val);
		free(n.order);
		return -ENOMEM;
	}
	memset(n.key, 0xff, n.cap * sizeof(*n.key));
	for (i = 0; i < m->cap; i++) {
		if (m->key[i] == BBT_EMPTY)
			continue;
		j = bbt_slot(&n, m->key[i]);
		n.key[j] = m->key[i];
		n.val[j] = m->val[i];
		n.order[j] = m->order[i];
		n.nr++;
	}
	bbt_map_release(m);
	*m = n;
	return 0;
}

int bbt_map_put(struct bbt_map *m, unsigned long long pfn,
		unsigned long long val, unsigned int order)
{
	size_t i;

	if (pfn == BBT_EMPTY)
		return -EINVAL;
	if ((m->nr + 1) * 2 > m->cap && bbt_map_grow(m))
		return -ENOMEM;
	i = bbt_slot(m, pfn);
	if (m->key[i] == BBT_EMPTY)
		m->nr++;
	m->key[i] = pfn;
	m->val[i] = val;
	m->order[i] = order;
	return 0;
}

int bbt_map_get(const struct bbt_map *m, unsigned long long pfn,
		unsigned long long *val, unsigned int *order)
{
	size_t i;

	if (!m->cap || pfn == BBT_EMPTY)
		return 0;
	i = bbt_slot(m, pfn);
	if (m->key[i] == BBT_EMPTY)
		return 0;
	*val = m->val[i];
	*order = m->order[i];
	return 1;
}

/* deletion moves back the entries of the run that follows */
void bbt_map_del(struct bbt_map *m, unsigned long long pfn)
{
	size_t i, j, h;

	if (!m->cap || pfn == BBT_EMPTY)
		return;
	i = bbt_slot(m, pfn);
	if (m->key[i] == BBT_EMPTY)
		return;
	m->key[i] = BBT_EMPTY;
	m->nr--;
	for (j = (i + 1) & (m->cap - 1); m->key[j] != BBT_EMPTY;
	     j = (j + 1) & (m->cap - 1)) {
		h = bbt_hash(m->key[j], m->cap);
		/* can the entry at j move to the hole at i? */
		if ((j > i && (h <= i || h > j)) ||
		    (j < i && (h <= i && h > j))) {
			m->key[i] = m->key[j];
			m->val[i] = m->val[j];
			m->order[i] = m->order[j];
			m->key[j] = BBT_EMPTY;
			i = j;
		}
	}
}

/* ---- summary ---- */

void bbt_print_summary(FILE *f, const struct bbt_reader *r,
		       const struct bbt_counts *c)
{
	int i;

	fprintf(f, "trace: %lu lines:", r->line);
	for (i = 0; i < BBT_NR_KINDS; i++)
		fprintf(f, " %s %lu", bbt_kind_names[i], r->events[i]);
	fprintf(f, "\ntrace: bad lines %lu:", bbt_nr_errors(r));
	for (i = 0; i < BBT_NR_ERRORS; i++)
		fprintf(f, " %s %lu", bbt_error_names[i], r->errors[i]);
	fprintf(f, "; lost (ring buffer) %lu; gfp with ignored flags %lu\n",
		r->lost_events, r->gfp_ignored);
	fprintf(f, "replay: alloc events %lu = allocated %lu + skipped %lu (failed in the trace %lu, failed in the sandbox %lu); migratetype differs %lu; pfn allocated again %lu\n",
		c->alloc_events, c->allocated,
		c->trace_failed + c->sandbox_failed, c->trace_failed,
		c->sandbox_failed, c->mt_mismatch, c->pfn_reused);
	fprintf(f, "replay: free events %lu = freed %lu + never seen allocated %lu; freed at another order %lu; batched %lu, pcpu drains %lu (counted only)\n",
		c->free_events, c->freed, c->unseen_frees, c->order_mismatch,
		c->batched, c->drains);
}

/* ---- checkpoints ---- */

/* "Node 0, zone   Normal  n0 n1 ... n10" lines: the counts, summed */
static int bbt_sum_buddyinfo(const char *text, unsigned long *nr_free)
{
	const char *line = text;
	int zones = 0, o;

	memset(nr_free, 0, BBT_MAX_ORDER * sizeof(*nr_free));
	while (line && *line) {
		const char *p = strstr(line, "zone");
		const char *eol = strchr(line, '\n');
		char *end;

		if (p && (!eol || p < eol)) {
			p += 4;
			p += strspn(p, " \t");
			p += strcspn(p, " \t\n");	/* the zone's name */
			for (o = 0; o < BBT_MAX_ORDER; o++) {
				nr_free[o] += strtoul(p, &end, 10);
				if (end == p)
					return -EINVAL;
				p = end;
			}
			zones++;
		}
		line = eol ? eol + 1 : NULL;
	}
	return zones ? 0 : -EINVAL;
}

static int bbt_vmstat_value(const char *text, const char *name,
			    int prefix, unsigned long *out)
{
	size_t len = strlen(name);
	const char *line = text;
	int found = 0;

	*out = 0;
	while (line && *line) {
		if (!strncmp(line, name, len) &&
		    (prefix || line[len] == ' ')) {
			*out += strtoul(line + strcspn(line, " "), NULL, 10);
			found = 1;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return found ? 0 : -EINVAL;
}

/* the "Number of blocks type" table's rows, summed over the zones */
static int bbt_sum_blocks(const char *text, unsigned long *blocks)
{
	const char *line = strstr(text, "Number of blocks type");
	int rows = 0, mt, node, off;
	char zone[16];

	memset(blocks, 0, BBT_NR_MT * sizeof(*blocks));
	if (!line)
		return -EINVAL;
	for (line = strchr(line, '\n'); line && *++line; line = strchr(line, '\n')) {
		const char *q;
		char *end;

		off = 0;
		if (sscanf(line, "Node %d, zone %15s%n", &node, zone, &off) != 2 || !off)
			break;
		q = line + off;
		for (mt = 0; mt < BBT_NR_MT; mt++) {
			blocks[mt] += strtoul(q, &end, 10);
			if (end == q)
				return -EINVAL;
			q = end;
		}
		rows++;
	}
	return rows ? 0 : -EINVAL;
}

/*
 * The last @n numbers of each "Node N, zone Z ..." row of a table (the
 * pageblocks and fallbacks files), summed into @sum; 0, or -EINVAL when
 * there is no such row or a row ends early.
 */
static int bbt_sum_last_columns(const char *text, int n, unsigned long *sum)
{
	const char *line = text;
	int rows = 0, i;

	memset(sum, 0, n * sizeof(*sum));
	while (line && *line) {
		const char *eol = strchr(line, '\n');
		const char *q = eol ? eol : line + strlen(line);
		unsigned long v;

		if (!strncmp(line, "Node ", 5)) {
			/* the row's last @n words, from its end */
			for (i = n - 1; i >= 0; i--) {
				const char *w;

				while (q > line && q[-1] == ' ')
					q--;
				w = q;
				while (w > line && w[-1] != ' ')
					w--;
				if (w == q || strspn(w, "0123456789") != (size_t)(q - w))
					return -EINVAL;
				v = strtoul(w, NULL, 10);
				sum[i] += v;
				q = w;
			}
			rows++;
		}
		line = eol ? eol + 1 : NULL;
	}
	return rows ? 0 : -EINVAL;
}

int bbt_point_parse(struct bbt_point *p, unsigned long event,
		    const struct bbt_texts *t)
{
	const char *buddyinfo = t->buddyinfo, *vmstat = t->vmstat;
	unsigned long states[3];
	unsigned long pages = 0, suitable = 0, blocks = 0;
	unsigned long long req_x1000;
	int o, i;

	memset(p, 0, sizeof(*p));
	p->event = event;
	if (bbt_sum_buddyinfo(buddyinfo, p->nr_free))
		return -EINVAL;
	for (o = 0; o < BBT_MAX_ORDER; o++) {
		blocks += p->nr_free[o];
		pages += p->nr_free[o] << o;
		if (o >= BBT_ORDER_INDEX)
			suitable += p->nr_free[o] << o;
	}
	p->free_pages = pages;
	/*
	 * The indexes of vmstat.c over the free blocks of every zone: the
	 * share of free memory in blocks too small (thousandths, 1000 when
	 * nothing is free), and -1000 when a block would do, 0 when nothing
	 * is free, else 1000 less the free blocks' average size in requests.
	 */
	p->unusable = pages ? (int)((pages - suitable) * 1000ULL / pages) : 1000;
	if (!blocks) {
		p->fragindex = 0;
	} else if (suitable) {
		p->fragindex = -1000;
	} else {
		req_x1000 = pages * 1000ULL >> BBT_ORDER_INDEX;
		p->fragindex = 1000 - (int)((req_x1000 + 1000) / blocks);
	}
	for (i = 0; i < BBT_NR_VM; i++)
		if (bbt_vmstat_value(vmstat, bbt_vm_names[i],
				     i == BBT_VM_ALLOCSTALL, &p->vm[i]))
			return -EINVAL;
	/* pageblocks: empty, pure, mixed; fallbacks: claim, steal, pollute */
	if (bbt_sum_last_columns(t->pageblocks, 3, states) ||
	    bbt_sum_last_columns(t->fallbacks, BBT_NR_FB, p->fb))
		return -EINVAL;
	p->mixed = states[2];
	return bbt_sum_blocks(t->pagetypeinfo, p->blocks);
}

int bbt_series_add(struct bbt_series *s, const struct bbt_point *p)
{
	if (s->nr == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct bbt_point *n = realloc(s->pts, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		s->pts = n;
		s->cap = cap;
	}
	s->pts[s->nr++] = *p;
	return 0;
}

void bbt_series_release(struct bbt_series *s)
{
	free(s->pts);
	s->pts = NULL;
	s->nr = 0;
	s->cap = 0;
}

/* ---- JSON ---- */

static void bbt_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

void bbt_json_write(FILE *f, const char *trace, const struct bbt_reader *r,
		    const struct bbt_counts *c, const struct bbt_series *s)
{
	size_t k;
	int i, o;

	fprintf(f, "{\n  \"label\": ");
	bbt_json_string(f, s->label);
	fprintf(f, ",\n  \"trace\": ");
	bbt_json_string(f, trace);
	fprintf(f, ",\n  \"order_index\": %d,\n  \"lines\": %lu,\n  \"events\": {",
		BBT_ORDER_INDEX, r->line);
	for (i = 0; i < BBT_NR_KINDS; i++)
		fprintf(f, "%s\"%s\": %lu", i ? ", " : "", bbt_kind_names[i],
			r->events[i]);
	fprintf(f, "},\n  \"errors\": {");
	for (i = 0; i < BBT_NR_ERRORS; i++)
		fprintf(f, "%s\"%s\": %lu", i ? ", " : "", bbt_error_names[i],
			r->errors[i]);
	fprintf(f, "},\n  \"lost_events\": %lu,\n", r->lost_events);
	fprintf(f, "  \"replay\": {\"alloc_events\": %lu, \"allocated\": %lu, \"trace_failed\": %lu, \"sandbox_failed\": %lu, \"migratetype_differs\": %lu, \"pfn_reused\": %lu, \"free_events\": %lu, \"freed\": %lu, \"unseen_frees\": %lu, \"order_differs\": %lu, \"batched\": %lu, \"drains\": %lu},\n",
		c->alloc_events, c->allocated, c->trace_failed,
		c->sandbox_failed, c->mt_mismatch, c->pfn_reused,
		c->free_events, c->freed, c->unseen_frees, c->order_mismatch,
		c->batched, c->drains);
	fprintf(f, "  \"points\": [\n");
	for (k = 0; k < s->nr; k++) {
		const struct bbt_point *p = &s->pts[k];

		fprintf(f, "    {\"event\": %lu, \"free_pages\": %lu, \"unusable\": %d, \"fragindex\": %d, \"nr_free\": [",
			p->event, p->free_pages, p->unusable, p->fragindex);
		for (o = 0; o < BBT_MAX_ORDER; o++)
			fprintf(f, "%s%lu", o ? ", " : "", p->nr_free[o]);
		fprintf(f, "]");
		for (i = 0; i < BBT_NR_VM; i++)
			fprintf(f, ", \"%s\": %lu", bbt_vm_names[i], p->vm[i]);
		fprintf(f, ", \"blocks\": [");
		for (i = 0; i < BBT_NR_MT; i++)
			fprintf(f, "%s%lu", i ? ", " : "", p->blocks[i]);
		fprintf(f, "], \"mixed\": %lu", p->mixed);
		for (i = 0; i < BBT_NR_FB; i++)
			fprintf(f, ", \"%s\": %lu", bbt_fb_names[i], p->fb[i]);
		fprintf(f, "}%s\n", k + 1 < s->nr ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
}

/*
 * Read back what bbt_json_write() wrote (not any JSON): the label, and a
 * checkpoint per line of "points".
 */
int bbt_json_read(const char *path, struct bbt_series *s, FILE *err)
{
	char line[2048], *p;
	unsigned long lineno = 0;
	struct bbt_point pt;
	FILE *f = fopen(path, "r");
	int o, i, n, ret = 0;

	memset(s, 0, sizeof(*s));
	if (!f) {
		fprintf(err, "%s: %s\n", path, strerror(errno));
		return -errno;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		p = line + strspn(line, " ");
		if (!strncmp(p, "\"label\": \"", 10)) {
			p += 10;
			n = strcspn(p, "\"");
			snprintf(s->label, sizeof(s->label), "%.*s", n, p);
			continue;
		}
		if (strncmp(p, "{\"event\": ", 10))
			continue;
		memset(&pt, 0, sizeof(pt));
		if (sscanf(p, "{\"event\": %lu, \"free_pages\": %lu, \"unusable\": %d, \"fragindex\": %d, \"nr_free\": [%n",
			   &pt.event, &pt.free_pages, &pt.unusable,
			   &pt.fragindex, &n) != 4)
			goto bad;
		p += n;
		for (o = 0; o < BBT_MAX_ORDER; o++) {
			pt.nr_free[o] = strtoul(p, &p, 10);
			p += strspn(p, ", ]");
		}
		for (i = 0; i < BBT_NR_VM; i++) {
			char key[64];

			snprintf(key, sizeof(key), "\"%s\": ", bbt_vm_names[i]);
			p = strstr(line, key);
			if (!p)
				goto bad;
			pt.vm[i] = strtoul(p + strlen(key), NULL, 10);
		}
		p = strstr(line, "\"blocks\": [");
		if (!p)
			goto bad;
		p += 11;
		for (i = 0; i < BBT_NR_MT; i++) {
			pt.blocks[i] = strtoul(p, &p, 10);
			p += strspn(p, ", ");
		}
		for (i = 0; i <= BBT_NR_FB; i++) {
			const char *name = i ? bbt_fb_names[i - 1] : "mixed";
			char key[32];

			snprintf(key, sizeof(key), "\"%s\": ", name);
			p = strstr(line, key);
			if (!p)
				goto bad;
			*(i ? &pt.fb[i - 1] : &pt.mixed) =
				strtoul(p + strlen(key), NULL, 10);
		}
		if (bbt_series_add(s, &pt)) {
			ret = -ENOMEM;
			break;
		}
	}
	fclose(f);
	if (!ret && !s->nr) {
		fprintf(err, "%s: no checkpoint (not a replay's JSON?)\n", path);
		ret = -EINVAL;
	}
	if (ret)
		bbt_series_release(s);
	return ret;
bad:
	fprintf(err, "%s:%lu: not a checkpoint of a replay's JSON\n", path, lineno);
	fclose(f);
	bbt_series_release(s);
	return -EINVAL;
}

/* ---- files of the traced machine ---- */

char *bbt_slurp(const char *path)
{
	size_t len = 0, cap = 65536, n;
	char *buf = malloc(cap + 1), *nb;
	FILE *f = fopen(path, "r");

	if (!f || !buf) {
		int e = errno;

		free(buf);
		if (f)
			fclose(f);
		errno = e;
		return NULL;
	}
	while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
	}
	buf[len] = '\0';
	fclose(f);
	return buf;
}

#define BBT_PAGES_PER_MB	256UL		/* 4 KiB pages */
#define BBT_PAGEBLOCK_MB	2UL
#define BBT_MAX_ORDER_MB	4UL

static unsigned long bbt_round_up(unsigned long v, unsigned long to)
{
	return (v + to - 1) / to * to;
}

int bbt_zoneinfo_config(const char *path, char *words, size_t len, FILE *err)
{
	unsigned long managed, dma = 0, dma32 = 0, normal = 0, total = 0, size;
	char *text = bbt_slurp(path), *line, *next;
	char zone[16] = "";
	int node = -1, nodes = 0, n;

	if (!text) {
		fprintf(err, "%s: %s\n", path, strerror(errno));
		return -errno;
	}
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (sscanf(line, "Node %d, zone %15s", &n, zone) == 2) {
			node = n;
			continue;
		}
		if (node < 0 || sscanf(line, " managed %lu", &managed) != 1)
			continue;
		if (!managed)
			continue;
		if (node + 1 > nodes)
			nodes = node + 1;
		total += managed;
		if (strcmp(zone, "DMA") && strcmp(zone, "DMA32"))
			normal += managed;
		if (node == 0 && !strcmp(zone, "DMA"))
			dma = managed;
		else if (node == 0 && !strcmp(zone, "DMA32"))
			dma32 = managed;
	}
	free(text);
	if (!nodes || !total) {
		fprintf(err, "%s: no zone with managed pages: not a /proc/zoneinfo\n",
			path);
		return -EINVAL;
	}
	dma = bbt_round_up(dma, BBT_PAGEBLOCK_MB * BBT_PAGES_PER_MB) / BBT_PAGES_PER_MB;
	dma32 = bbt_round_up(dma32, BBT_PAGEBLOCK_MB * BBT_PAGES_PER_MB) / BBT_PAGES_PER_MB;
	size = bbt_round_up(total, BBT_PAGES_PER_MB) / BBT_PAGES_PER_MB;
	if (size < dma + dma32)
		size = dma + dma32;
	size = bbt_round_up(size, BBT_MAX_ORDER_MB * nodes);
	/* no ZONE_NORMAL made of the rounding's few MiB: DMA32 takes them */
	if (nodes == 1 && !normal && dma32)
		dma32 = size - dma;
	snprintf(words, len, "nodes=%d size_mb=%lu dma_mb=%lu dma32_mb=%lu",
		 nodes, size, dma, dma32);
	return 0;
}

struct bbt_zone_row {
	char name[32];
	unsigned long nr[BBT_MAX_ORDER];
};

static int bbt_rows(const char *text, struct bbt_zone_row *rows, int max)
{
	const char *line = text;
	int n = 0, o, node;
	char zone[16];

	while (line && *line && n < max) {
		int off = 0;

		if (sscanf(line, "Node %d, zone %15s%n", &node, zone, &off) == 2) {
			const char *p = line + off;
			char *end;

			snprintf(rows[n].name, sizeof(rows[n].name), "%d %s",
				 node, zone);
			for (o = 0; o < BBT_MAX_ORDER; o++) {
				rows[n].nr[o] = strtoul(p, &end, 10);
				p = end;
			}
			n++;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return n;
}

static unsigned long bbt_row_pages(const struct bbt_zone_row *row)
{
	unsigned long pages = 0;
	int o;

	for (o = 0; o < BBT_MAX_ORDER; o++)
		pages += row->nr[o] << o;
	return pages;
}

static void bbt_print_row(FILE *f, const char *who,
			  const struct bbt_zone_row *row)
{
	int o;

	fprintf(f, "%-8s %-10s", who, row->name);
	for (o = 0; o < BBT_MAX_ORDER; o++)
		fprintf(f, " %6lu", row->nr[o]);
	fprintf(f, " %9lu\n", bbt_row_pages(row));
}

void bbt_buddyinfo_side(FILE *f, const char *kernel, const char *sandbox)
{
	struct bbt_zone_row k[16], s[16];
	int nk = bbt_rows(kernel, k, 16), ns = bbt_rows(sandbox, s, 16);
	int i, j, o;

	fprintf(f, "%-8s %-10s", "buddyinfo", "node zone");
	for (o = 0; o < BBT_MAX_ORDER; o++)
		fprintf(f, " %6d", o);
	fprintf(f, " %9s\n", "pages");
	for (i = 0; i < nk; i++) {
		bbt_print_row(f, "kernel", &k[i]);
		for (j = 0; j < ns; j++)
			if (!strcmp(s[j].name, k[i].name))
				bbt_print_row(f, "sandbox", &s[j]);
	}
	/* the sandbox's zones the kernel did not have */
	for (j = 0; j < ns; j++) {
		for (i = 0; i < nk; i++)
			if (!strcmp(s[j].name, k[i].name))
				break;
		if (i == nk)
			bbt_print_row(f, "sandbox", &s[j]);
	}
}
