/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bbmap: the pageblock map of a sandbox, read from the text of its
 * pageblock_map file (module/core/pbmap.c) and drawn as SVG.  One parser
 * and one renderer for buddyctl map (the module's debugfs file) and
 * bbsim --map (its own core's text).
 */
#ifndef BBMAP_H
#define BBMAP_H

#include <stddef.h>
#include <stdio.h>

#define BBMAP_NR_TYPES		5	/* Unmovable .. Isolate */
#define BBMAP_NAME_MAX		16

enum bbmap_state { BBMAP_EMPTY, BBMAP_PURE, BBMAP_MIXED };

struct bbmap_block {
	unsigned long pfn;
	unsigned int pages;	/* the zone's pages in the block */
	unsigned int free;
	int type;		/* 0 .. BBMAP_NR_TYPES - 1 */
	unsigned int alloc;	/* bit per type its allocations asked for */
	enum bbmap_state state;
};

struct bbmap_zone {
	int node;
	char name[BBMAP_NAME_MAX];
	unsigned long start_pfn;
	unsigned long pages;
	size_t first;		/* its first block in bbmap.blocks */
	size_t nr;		/* and how many */
};

struct bbmap {
	unsigned long page_size;
	unsigned long pages_per_block;
	unsigned long region_pages;
	struct bbmap_zone *zones;
	size_t nr_zones;
	struct bbmap_block *blocks;
	size_t nr_blocks;
};

/*
 * Read a map from @f; @what names it in errors.  Returns 0, or -1 with a
 * message "WHAT: line N: ..." in @err (and nothing to free).
 */
int bbmap_parse(FILE *f, const char *what, struct bbmap *map, char *err,
		size_t errlen);
/* the same from a buffer */
int bbmap_parse_buf(const char *buf, size_t len, const char *what,
		    struct bbmap *map, char *err, size_t errlen);
void bbmap_free(struct bbmap *map);

/* the type's name as the map writes it, or NULL */
const char *bbmap_type_name(int type);

/* Draw @map as SVG on @out, titled with @name (a sandbox).  0 or -1. */
int bbmap_svg(FILE *out, const struct bbmap *map, const char *name);
/* the same into the file @path; -1 with errno set */
int bbmap_svg_file(const char *path, const struct bbmap *map,
		   const char *name);

#endif
