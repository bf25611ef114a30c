/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bbtrace: reading a real kernel's page allocator trace (tools/capture.sh)
 * and the bookkeeping of replaying it into a sandbox, shared by bbsim
 * (tools/bbsim/replay.c) and buddyctl.  Plain C and libc only: no header
 * here may clash with bbsim's kernel environment (no stdbool, no uapi).
 */
#ifndef BBTRACE_H
#define BBTRACE_H

#include <stdio.h>
#include <sys/types.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

#define BBT_MAX_ORDER		11	/* BB_MAX_ORDER: orders 0 .. 10 */
#define BBT_ORDER_INDEX		9	/* the order of the recorded indexes */

/*
 * The events of the kernel's kmem system that a trace holds, and what each
 * means for a replay:
 *   mm_page_alloc         an allocation: replayed (same order, gfp, and so
 *                         migratetype); one with no page (the kernel's
 *                         request failed) is counted, not replayed
 *   mm_page_free          the free of an allocation's pages: replayed as
 *                         the free of the sandbox allocation standing for
 *                         that pfn
 *   mm_page_free_batched  counted only: in 6.1 free_unref_page_list()
 *                         emits it for a page whose mm_page_free was
 *                         already emitted (free_pages_prepare()), so it is
 *                         no second free
 *   mm_page_pcpu_drain    counted only: pages moving from a per-CPU list to
 *                         the buddy lists, no allocation nor free for the
 *                         trace's users; the sandbox has its own per-CPU
 *                         lists, which drain by its own rules
 */
enum bbt_kind {
	BBT_ALLOC,
	BBT_FREE,
	BBT_FREE_BATCHED,
	BBT_PCPU_DRAIN,
	BBT_NR_KINDS,
};

extern const char * const bbt_kind_names[BBT_NR_KINDS];

struct bbt_event {
	int kind;
	unsigned long line;
	unsigned long long pfn;
	unsigned int order;
	int migratetype;
	unsigned int gfp;	/* buddybox's BB___GFP_* bits */
	int no_page;		/* mm_page_alloc of a failed request */
};

/* What a line can have wrong: counted, reported with its line number */
enum bbt_error {
	BBT_ERR_UNKNOWN_EVENT,	/* an event of another kind */
	BBT_ERR_MALFORMED,	/* no event, a field missing or unreadable */
	BBT_ERR_ORDER,		/* order out of 0 .. BBT_MAX_ORDER - 1 */
	BBT_ERR_GFP,		/* a gfp flag name that is not known */
	BBT_ERR_LONG,		/* a line longer than BBT_LINE_MAX */
	BBT_NR_ERRORS,
};

extern const char * const bbt_error_names[BBT_NR_ERRORS];

#define BBT_LINE_MAX		4096
#define BBT_REPORT_MAX		10	/* errors printed, then only counted */

struct bbt_reader {
	const char *path;
	FILE *f;
	pid_t child;		/* xz -dc, for a .xz trace */
	int strict;
	int at_end;		/* read to the end */
	FILE *err;		/* where errors are reported */
	unsigned long line;
	unsigned long events[BBT_NR_KINDS];
	unsigned long errors[BBT_NR_ERRORS];
	unsigned long reported;
	unsigned long lost_lines;	/* "CPU:N [LOST M EVENTS]" */
	unsigned long lost_events;
	unsigned long gfp_ignored;	/* allocations with flags of no meaning here */
	char buf[BBT_LINE_MAX + 2];
};

/* 0, or -errno with a message on @err */
int bbt_open(struct bbt_reader *r, const char *path, int strict, FILE *err);
/*
 * The next event: 1, 0 at the end, -EINVAL when --strict stops at a bad
 * line, -EIO on a read error.
 */
int bbt_next(struct bbt_reader *r, struct bbt_event *ev);
/* 0, or -EIO when the decompressor failed */
int bbt_close(struct bbt_reader *r);
unsigned long bbt_nr_errors(const struct bbt_reader *r);

/* trace pfn -> the sandbox allocation standing for it */
struct bbt_map {
	unsigned long long *key;
	unsigned long long *val;
	unsigned char *order;
	size_t cap;
	size_t nr;
};

void bbt_map_init(struct bbt_map *m);
void bbt_map_release(struct bbt_map *m);
int bbt_map_put(struct bbt_map *m, unsigned long long pfn,
		unsigned long long val, unsigned int order);
/* 1 and the values when found, else 0 */
int bbt_map_get(const struct bbt_map *m, unsigned long long pfn,
		unsigned long long *val, unsigned int *order);
void bbt_map_del(struct bbt_map *m, unsigned long long pfn);

/* the counters of a replay; the summary and the JSON print them */
struct bbt_counts {
	unsigned long alloc_events;
	unsigned long allocated;	/* sandbox allocations made */
	unsigned long trace_failed;	/* the kernel's request failed */
	unsigned long sandbox_failed;	/* the sandbox refused or failed */
	unsigned long mt_mismatch;	/* the gfp's migratetype is not the trace's */
	unsigned long pfn_reused;	/* allocated again with no free between */
	unsigned long free_events;
	unsigned long freed;
	unsigned long unseen_frees;	/* of a pfn never seen allocated */
	unsigned long order_mismatch;	/* freed at another order */
	unsigned long batched;
	unsigned long drains;
};

void bbt_print_summary(FILE *f, const struct bbt_reader *r,
		       const struct bbt_counts *c);

/* the vmstat counters a checkpoint records */
enum bbt_vm {
	BBT_VM_FALLBACK,
	BBT_VM_STEAL,
	BBT_VM_CLAIM,
	BBT_VM_HIGHATOMIC,
	BBT_VM_COMPACT_STALL,
	BBT_VM_COMPACT_SUCCESS,
	BBT_VM_COMPACT_FAIL,
	BBT_VM_COMPACT_DAEMON_WAKE,
	BBT_VM_KSWAPD_WAKE,
	BBT_VM_PGSTEAL_KSWAPD,
	BBT_VM_PGSTEAL_DIRECT,
	BBT_VM_ALLOCSTALL,	/* allocstall_* of every zone */
	BBT_VM_OOM_KILL,
	BBT_NR_VM,
};

extern const char * const bbt_vm_names[BBT_NR_VM];

/* Unmovable, Movable, Reclaimable, HighAtomic, Isolate */
#define BBT_NR_MT	5

/* the columns of the fallbacks file: fragstat.c's kinds */
enum bbt_fb {
	BBT_FB_CLAIM,		/* a whole free pageblock retyped */
	BBT_FB_STEAL,		/* a partly used pageblock retyped */
	BBT_FB_POLLUTE,		/* a chunk taken, the pageblock's type kept */
	BBT_NR_FB,
};

extern const char * const bbt_fb_names[BBT_NR_FB];

struct bbt_point {
	unsigned long event;		/* events read so far */
	unsigned long nr_free[BBT_MAX_ORDER];	/* blocks, every zone */
	unsigned long free_pages;
	int unusable;		/* order BBT_ORDER_INDEX, 0 .. 1000 */
	int fragindex;		/* order BBT_ORDER_INDEX, -1000 .. 1000 */
	unsigned long vm[BBT_NR_VM];
	/* pageblocks by migratetype, every zone (pagetypeinfo) */
	unsigned long blocks[BBT_NR_MT];
	/* pageblocks holding allocations of another type (pageblocks) */
	unsigned long mixed;
	/* fallbacks by their effect on the pageblock, every zone (fallbacks) */
	unsigned long fb[BBT_NR_FB];
};

/* the sandbox's files a checkpoint reads */
struct bbt_texts {
	const char *buddyinfo;
	const char *vmstat;
	const char *pagetypeinfo;
	const char *pageblocks;
	const char *fallbacks;
};

/* the names of those files, in that order */
extern const char * const bbt_text_files[5];

/* a checkpoint from the text of the sandbox's files; 0 or -EINVAL */
int bbt_point_parse(struct bbt_point *p, unsigned long event,
		    const struct bbt_texts *t);

struct bbt_series {
	char label[64];
	struct bbt_point *pts;
	size_t nr;
	size_t cap;
};

int bbt_series_add(struct bbt_series *s, const struct bbt_point *p);
void bbt_series_release(struct bbt_series *s);

/* the JSON of one replay: its counts and its checkpoints, one a line */
void bbt_json_write(FILE *f, const char *trace, const struct bbt_reader *r,
		    const struct bbt_counts *c, const struct bbt_series *s);
/* the checkpoints of a file bbt_json_write() wrote; 0 or -errno */
int bbt_json_read(const char *path, struct bbt_series *s, FILE *err);

/* bbchart.c: an SVG line chart, one line per series, over the events */
int bbt_chart_svg(FILE *f, const struct bbt_series *s, int nr);

/* a whole (small) file as a string; NULL with errno */
char *bbt_slurp(const char *path);
/*
 * The sandbox's parameters from a saved /proc/zoneinfo: "nodes=N
 * size_mb=N dma_mb=N dma32_mb=N" (managed pages, rounded up to pageblocks);
 * 0, or -EINVAL with a message on @err.
 */
int bbt_zoneinfo_config(const char *path, char *words, size_t len, FILE *err);
/* the traced kernel's buddyinfo beside the sandbox's, zone by zone */
void bbt_buddyinfo_side(FILE *f, const char *kernel, const char *sandbox);

#endif
