// SPDX-License-Identifier: GPL-2.0
/*
 * bbmap: read a sandbox's pageblock_map (the format is described in
 * module/core/pbmap.c) and draw it as SVG: one cell per pageblock, zone
 * after zone under node and zone labels, a grid of 32 cells a row for up
 * to 1024 pageblocks (a 2 GiB sandbox on one screen; 64 or 128 a row,
 * smaller cells, beyond).  A cell's colour is its pageblock's migratetype:
 * pale where pages are free, solid from the bottom up as much as is
 * allocated; a diagonal stroke marks a mixed pageblock, a thick dark
 * outline one of the highatomic reserve.  Each cell is one <g class="pb">
 * with data- attributes (pfn, type, free, pages, alloc, state) and a
 * <title> that a browser shows as a tooltip.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bbmap.h"

#define BBMAP_MAX_WORDS		16
#define BBMAP_HIGHATOMIC	3
#define BBMAP_MARGIN		20
#define BBMAP_MIN_WIDTH		760

static const char *const bbmap_types[BBMAP_NR_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate",
};

static const char bbmap_letters[BBMAP_NR_TYPES] = { 'U', 'M', 'R', 'H', 'I' };

/* Okabe and Ito's palette, which colour-blind readers tell apart */
static const char *const bbmap_colours[BBMAP_NR_TYPES] = {
	"#d55e00", "#0072b2", "#009e73", "#cc79a7", "#666666",
};

static const char *const bbmap_states[] = { "empty", "pure", "mixed" };

/* the lines' shapes, for the errors */
static const char bbmap_header_syntax[] =
	"pageblock_map 1 page_size N pages_per_block N region_pages N";
static const char bbmap_zone_syntax[] =
	"node NID zone NAME start_pfn PFN pages N blocks N";
static const char bbmap_block_syntax[] = "PFN TYPE FREE PAGES ALLOC STATE";

const char *bbmap_type_name(int type)
{
	if (type < 0 || type >= BBMAP_NR_TYPES)
		return NULL;
	return bbmap_types[type];
}

/* ---- reading ---- */

struct bbmap_reader {
	const char *what;
	unsigned long line;
	char *err;
	size_t errlen;
};

static int bbmap_error(struct bbmap_reader *r, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	n = snprintf(r->err, r->errlen, "%s: line %lu: ", r->what, r->line);
	if (n < r->errlen) {
		va_start(ap, fmt);
		vsnprintf(r->err + n, r->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* a decimal number, all of the word */
static int bbmap_number(const char *word, unsigned long *val)
{
	char *end;

	if (*word < '0' || *word > '9')
		return -1;
	errno = 0;
	*val = strtoul(word, &end, 10);
	return errno || *end ? -1 : 0;
}

static int bbmap_uint(const char *word, unsigned int *val)
{
	unsigned long v;

	if (bbmap_number(word, &v) || v > 0xffffffffUL)
		return -1;
	*val = v;
	return 0;
}

static int bbmap_lookup(const char *const *names, int nr, const char *word)
{
	int i;

	for (i = 0; i < nr; i++)
		if (!strcmp(names[i], word))
			return i;
	return -1;
}

/* the words of @line, cut up in place; their number, or -1 for too many */
static int bbmap_split(char *line, char **words)
{
	int n = 0;
	char *tok;

	for (tok = strtok(line, " \t\r\n"); tok; tok = strtok(NULL, " \t\r\n")) {
		if (n == BBMAP_MAX_WORDS)
			return -1;
		words[n++] = tok;
	}
	return n;
}

/* "pageblock_map 1 page_size N pages_per_block N region_pages N" */
static int bbmap_header(struct bbmap_reader *r, struct bbmap *map,
			char **w, int n)
{
	unsigned long version;

	if (n < 1 || strcmp(w[0], "pageblock_map"))
		return bbmap_error(r, "not a pageblock_map: no \"pageblock_map\" header first");
	if (n != 8 || bbmap_number(w[1], &version) ||
	    strcmp(w[2], "page_size") || bbmap_number(w[3], &map->page_size) ||
	    strcmp(w[4], "pages_per_block") ||
	    bbmap_number(w[5], &map->pages_per_block) ||
	    strcmp(w[6], "region_pages") || bbmap_number(w[7], &map->region_pages))
		return bbmap_error(r, "a malformed header (%s)", bbmap_header_syntax);
	if (version != 1)
		return bbmap_error(r, "format version %lu, this reader knows 1", version);
	if (!map->page_size || !map->pages_per_block ||
	    map->pages_per_block > 0x10000000UL)
		return bbmap_error(r, "page_size and pages_per_block must be positive");
	return 0;
}

static int bbmap_zone_done(struct bbmap_reader *r, const struct bbmap *map)
{
	const struct bbmap_zone *z;

	if (!map->nr_zones)
		return 0;
	z = &map->zones[map->nr_zones - 1];
	if (map->nr_blocks - z->first != z->nr)
		return bbmap_error(r, "node %d zone %s ends after %zu of its %zu pageblocks",
				   z->node, z->name, map->nr_blocks - z->first, z->nr);
	return 0;
}

/* "node NID zone NAME start_pfn PFN pages N blocks N" */
static int bbmap_zone(struct bbmap_reader *r, struct bbmap *map,
		      char **w, int n, size_t *cap_zones)
{
	unsigned long nid, nr, first, span;
	struct bbmap_zone *z;

	if (bbmap_zone_done(r, map))
		return -1;
	if (map->nr_zones == *cap_zones) {
		size_t cap = *cap_zones ? 2 * *cap_zones : 8;
		struct bbmap_zone *zs = realloc(map->zones, cap * sizeof(*zs));

		if (!zs)
			return bbmap_error(r, "out of memory");
		map->zones = zs;
		*cap_zones = cap;
	}
	z = &map->zones[map->nr_zones];
	if (n != 10 || bbmap_number(w[1], &nid) || nid > 1024 ||
	    strcmp(w[2], "zone") || strlen(w[3]) >= BBMAP_NAME_MAX ||
	    strcmp(w[4], "start_pfn") || bbmap_number(w[5], &z->start_pfn) ||
	    strcmp(w[6], "pages") || bbmap_number(w[7], &z->pages) ||
	    strcmp(w[8], "blocks") || bbmap_number(w[9], &nr))
		return bbmap_error(r, "a malformed zone line (%s)", bbmap_zone_syntax);
	if (!z->pages || z->start_pfn + z->pages < z->start_pfn)
		return bbmap_error(r, "zone %s: no pages, or beyond the last pfn", w[3]);
	first = z->start_pfn - z->start_pfn % map->pages_per_block;
	span = z->start_pfn + z->pages - first;
	if (nr != span / map->pages_per_block + !!(span % map->pages_per_block))
		return bbmap_error(r, "zone %s: %lu pageblocks, but its pages span %lu",
				   w[3], nr,
				   span / map->pages_per_block + !!(span % map->pages_per_block));
	z->node = nid;
	snprintf(z->name, sizeof(z->name), "%s", w[3]);
	z->first = map->nr_blocks;
	z->nr = nr;
	map->nr_zones++;
	return 0;
}

/* "PFN TYPE FREE PAGES ALLOC STATE" */
static int bbmap_block(struct bbmap_reader *r, struct bbmap *map,
		       char **w, int n, size_t *cap_blocks)
{
	struct bbmap_zone *z;
	struct bbmap_block *b;
	unsigned long want, start, end;
	size_t i;
	int t, empty;

	if (!map->nr_zones)
		return bbmap_error(r, "a pageblock before any zone line");
	z = &map->zones[map->nr_zones - 1];
	i = map->nr_blocks - z->first;
	if (i == z->nr)
		return bbmap_error(r, "node %d zone %s: more than its %zu pageblocks",
				   z->node, z->name, z->nr);
	if (map->nr_blocks == *cap_blocks) {
		size_t cap = *cap_blocks ? 2 * *cap_blocks : 256;
		struct bbmap_block *bs = realloc(map->blocks, cap * sizeof(*bs));

		if (!bs)
			return bbmap_error(r, "out of memory");
		map->blocks = bs;
		*cap_blocks = cap;
	}
	b = &map->blocks[map->nr_blocks];
	memset(b, 0, sizeof(*b));
	if (n != 6 || bbmap_number(w[0], &b->pfn) || bbmap_uint(w[2], &b->free) ||
	    bbmap_uint(w[3], &b->pages))
		return bbmap_error(r, "a malformed pageblock line (%s)",
				   bbmap_block_syntax);
	b->type = bbmap_lookup(bbmap_types, BBMAP_NR_TYPES, w[1]);
	if (b->type < 0)
		return bbmap_error(r, "unknown migratetype \"%s\"", w[1]);
	t = bbmap_lookup(bbmap_states, 3, w[5]);
	if (t < 0)
		return bbmap_error(r, "unknown state \"%s\" (empty, pure, mixed)", w[5]);
	b->state = t;
	if (strcmp(w[4], "-")) {
		const char *c;

		for (c = w[4]; *c; c++) {
			const char *l = memchr(bbmap_letters, *c, BBMAP_NR_TYPES);

			if (!l)
				return bbmap_error(r, "unknown type letter '%c' in \"%s\"",
						   *c, w[4]);
			b->alloc |= 1U << (l - bbmap_letters);
		}
	}
	empty = b->state == BBMAP_EMPTY;
	if (empty == !!b->alloc)
		return bbmap_error(r, "state %s but allocations \"%s\"", w[5], w[4]);

	start = z->start_pfn - z->start_pfn % map->pages_per_block +
		i * map->pages_per_block;
	end = start + map->pages_per_block;
	if (end > z->start_pfn + z->pages)
		end = z->start_pfn + z->pages;
	want = start < z->start_pfn ? z->start_pfn : start;
	if (b->pfn != want)
		return bbmap_error(r, "pfn %lu, but pageblock %zu of node %d zone %s starts at %lu",
				   b->pfn, i, z->node, z->name, want);
	if (b->pages != end - want)
		return bbmap_error(r, "%u pages, but the zone has %lu in this pageblock",
				   b->pages, end - want);
	if (b->free > b->pages)
		return bbmap_error(r, "%u free of %u pages", b->free, b->pages);
	map->nr_blocks++;
	return 0;
}

int bbmap_parse(FILE *f, const char *what, struct bbmap *map, char *err,
		size_t errlen)
{
	struct bbmap_reader r = { what, 0, err, errlen };
	size_t cap_zones = 0, cap_blocks = 0, linecap = 0;
	char *line = NULL, *words[BBMAP_MAX_WORDS];
	int header = 0, ret = 0, n;

	memset(map, 0, sizeof(*map));
	while (getline(&line, &linecap, f) >= 0) {
		char *hash = strchr(line, '#');

		r.line++;
		if (hash)
			*hash = '\0';
		n = bbmap_split(line, words);
		if (n == 0)
			continue;
		if (n < 0)
			ret = bbmap_error(&r, "more than %d words", BBMAP_MAX_WORDS);
		else if (!header)
			ret = bbmap_header(&r, map, words, n);
		else if (!strcmp(words[0], "node"))
			ret = bbmap_zone(&r, map, words, n, &cap_zones);
		else if (words[0][0] >= '0' && words[0][0] <= '9')
			ret = bbmap_block(&r, map, words, n, &cap_blocks);
		else
			ret = bbmap_error(&r, "neither a zone line nor a pageblock line: \"%s\"",
					  words[0]);
		if (ret)
			break;
		header = 1;
	}
	free(line);
	if (!ret && ferror(f))
		ret = bbmap_error(&r, "read error");
	r.line++;
	if (!ret && !header)
		ret = bbmap_error(&r, "empty: no pageblock_map header");
	if (!ret && !map->nr_zones)
		ret = bbmap_error(&r, "the map ends without a zone");
	if (!ret)
		ret = bbmap_zone_done(&r, map);
	if (ret)
		bbmap_free(map);
	return ret;
}

int bbmap_parse_buf(const char *buf, size_t len, const char *what,
		    struct bbmap *map, char *err, size_t errlen)
{
	FILE *f;
	int ret;

	if (!len) {
		snprintf(err, errlen, "%s: line 1: empty: no pageblock_map header", what);
		memset(map, 0, sizeof(*map));
		return -1;
	}
	f = fmemopen((void *)buf, len, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", what, strerror(errno));
		memset(map, 0, sizeof(*map));
		return -1;
	}
	ret = bbmap_parse(f, what, map, err, errlen);
	fclose(f);
	return ret;
}

void bbmap_free(struct bbmap *map)
{
	free(map->zones);
	free(map->blocks);
	memset(map, 0, sizeof(*map));
}

/* ---- drawing ---- */

struct bbmap_layout {
	unsigned int cols, cell, gap;
	unsigned int width;
};

static void bbmap_layout(const struct bbmap *map, struct bbmap_layout *l)
{
	if (map->nr_blocks <= 1024) {
		l->cols = 32;
		l->cell = 20;
		l->gap = 2;
	} else if (map->nr_blocks <= 8192) {
		l->cols = 64;
		l->cell = 10;
		l->gap = 1;
	} else {
		l->cols = 128;
		l->cell = 6;
		l->gap = 1;
	}
	l->width = 2 * BBMAP_MARGIN + l->cols * (l->cell + l->gap);
	if (l->width < BBMAP_MIN_WIDTH)
		l->width = BBMAP_MIN_WIDTH;
}

/* @s with &, <, >, " and ' as XML wants them */
static void bbmap_xml(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&apos;", out);
			break;
		default:
			/* control characters are not XML 1.0 */
			fputc((unsigned char)*s < 0x20 ? '?' : *s, out);
		}
	}
}

/* a size in pages, in MiB (or KiB below one) */
static void bbmap_size(char *buf, size_t len, const struct bbmap *map,
		       unsigned long pages)
{
	unsigned long long bytes = (unsigned long long)pages * map->page_size;

	if (bytes >= 1ULL << 20)
		snprintf(buf, len, "%llu MiB", bytes >> 20);
	else
		snprintf(buf, len, "%llu KiB", bytes >> 10);
}

static void bbmap_alloc_letters(char *buf, unsigned int alloc)
{
	int t, n = 0;

	for (t = 0; t < BBMAP_NR_TYPES; t++)
		if (alloc & (1U << t))
			buf[n++] = bbmap_letters[t];
	if (!n)
		buf[n++] = '-';
	buf[n] = '\0';
}

/* a rectangle, its fill and stroke in @attrs */
static void bbmap_rect(FILE *out, double x, double y, double w, double h,
		       const char *attrs)
{
	fprintf(out, "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" %s/>",
		x, y, w, h, attrs);
}

/* a square pale with @colour: the free part of a cell */
static void bbmap_pale(FILE *out, double x, double y, double size,
		       const char *colour)
{
	char attrs[128];

	snprintf(attrs, sizeof(attrs),
		 "fill=\"%s\" fill-opacity=\"0.22\" stroke=\"%s\" stroke-width=\"0.6\"",
		 colour, colour);
	bbmap_rect(out, x, y, size, size, attrs);
}

/* the stroke across a mixed cell */
static void bbmap_stroke(FILE *out, double x, double y, double size,
			 double width)
{
	fprintf(out, "<path class=\"mixed\" d=\"M%g %gL%g %g\" ", x, y + size,
		x + size, y);
	fprintf(out, "stroke=\"#000\" stroke-width=\"%g\"/>", width);
}

/* the outline of a highatomic cell */
static void bbmap_outline(FILE *out, double x, double y, double size,
			  double width)
{
	char attrs[96];

	snprintf(attrs, sizeof(attrs),
		 "class=\"reserve\" fill=\"none\" stroke=\"#000\" stroke-width=\"%g\"",
		 width);
	bbmap_rect(out, x + width / 2, y + width / 2, size - width,
		   size - width, attrs);
}

static void bbmap_cell(FILE *out, const struct bbmap_block *b,
		       const struct bbmap_layout *l, unsigned int x,
		       unsigned int y)
{
	const char *colour = bbmap_colours[b->type];
	unsigned int used = b->pages - b->free;
	double h = (double)l->cell * used / b->pages;
	char alloc[BBMAP_NR_TYPES + 1];

	char fill[32];

	bbmap_alloc_letters(alloc, b->alloc);
	fprintf(out, "<g class=\"pb\" data-pfn=\"%lu\" data-type=\"%s\" ",
		b->pfn, bbmap_types[b->type]);
	fprintf(out, "data-free=\"%u\" data-pages=\"%u\" data-alloc=\"%s\" data-state=\"%s\">",
		b->free, b->pages, alloc, bbmap_states[b->state]);
	fprintf(out, "<title>pfn %lu: %s, %u of %u pages free, allocations of %s%s</title>",
		b->pfn, bbmap_types[b->type], b->free, b->pages,
		b->alloc ? alloc : "none", b->state == BBMAP_MIXED ? ", mixed" : "");
	bbmap_pale(out, x, y, l->cell, colour);
	snprintf(fill, sizeof(fill), "fill=\"%s\"", colour);
	if (used)
		bbmap_rect(out, x, y + l->cell - h, l->cell, h, fill);
	if (b->state == BBMAP_MIXED)
		bbmap_stroke(out, x, y, l->cell, l->cell >= 10 ? 1.6 : 1.0);
	if (b->type == BBMAP_HIGHATOMIC)
		bbmap_outline(out, x, y, l->cell, l->cell >= 10 ? 1.5 : 1.0);
	fputs("</g>\n", out);
}

/* the legend's swatch: @used of 4 quarters solid, a mark */
static void bbmap_swatch(FILE *out, unsigned int x, unsigned int y,
			 const char *colour, unsigned int used, int mixed,
			 int reserve, const char *label)
{
	char fill[32];

	bbmap_pale(out, x, y, 16, colour);
	snprintf(fill, sizeof(fill), "fill=\"%s\"", colour);
	if (used)
		bbmap_rect(out, x, y + 16 - 4 * used, 16, 4 * used, fill);
	if (mixed)
		bbmap_stroke(out, x, y, 16, 1.6);
	if (reserve)
		bbmap_outline(out, x, y, 16, 1.5);
	fprintf(out, "<text x=\"%u\" y=\"%u\">", x + 22, y + 13);
	bbmap_xml(out, label);
	fputs("</text>\n", out);
}

/* the height the zones take, from @y */
static unsigned int bbmap_zones_height(const struct bbmap *map,
				       const struct bbmap_layout *l)
{
	unsigned int h = 0, rows;
	size_t i;

	for (i = 0; i < map->nr_zones; i++) {
		if (!i || map->zones[i].node != map->zones[i - 1].node)
			h += 26;
		rows = (map->zones[i].nr + l->cols - 1) / l->cols;
		h += 20 + rows * (l->cell + l->gap) + 12;
	}
	return h;
}

int bbmap_svg(FILE *out, const struct bbmap *map, const char *name)
{
	unsigned long free = 0, pages = 0, count[BBMAP_NR_TYPES] = { 0 };
	unsigned long mixed = 0;
	struct bbmap_layout l;
	unsigned int y, height, x, t;
	char size[32], block[32], line[256];
	size_t i, j;
	int n;

	bbmap_layout(map, &l);
	for (i = 0; i < map->nr_blocks; i++) {
		free += map->blocks[i].free;
		pages += map->blocks[i].pages;
		count[map->blocks[i].type]++;
		mixed += map->blocks[i].state == BBMAP_MIXED;
	}
	height = 70 + bbmap_zones_height(map, &l) + 70 + BBMAP_MARGIN;

	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\" font-family=\"DejaVu Sans, Verdana, sans-serif\" font-size=\"12\">\n",
		l.width, height, l.width, height);
	fprintf(out, "<rect width=\"%u\" height=\"%u\" fill=\"#ffffff\"/>\n",
		l.width, height);

	/* the title, and a summary */
	bbmap_size(size, sizeof(size), map, map->region_pages);
	bbmap_size(block, sizeof(block), map, map->pages_per_block);
	fprintf(out, "<text x=\"%d\" y=\"30\" font-size=\"18\" font-weight=\"bold\">",
		BBMAP_MARGIN);
	snprintf(line, sizeof(line), "buddybox sandbox %s: %s, %zu pageblocks of %s",
		 name, size, map->nr_blocks, block);
	bbmap_xml(out, line);
	fputs("</text>\n", out);
	n = snprintf(line, sizeof(line), "%.1f%% free;", pages ? 100.0 * free / pages : 0.0);
	for (t = 0; t < BBMAP_NR_TYPES; t++)
		if (count[t] && n < (int)sizeof(line))
			n += snprintf(line + n, sizeof(line) - n, " %s %lu,",
				      bbmap_types[t], count[t]);
	if (n < (int)sizeof(line))
		snprintf(line + n, sizeof(line) - n, " mixed %lu", mixed);
	fprintf(out, "<text x=\"%d\" y=\"52\" fill=\"#333\">", BBMAP_MARGIN);
	bbmap_xml(out, line);
	fputs("</text>\n", out);

	/* the zones, node by node */
	y = 70;
	for (i = 0; i < map->nr_zones; i++) {
		const struct bbmap_zone *z = &map->zones[i];

		if (!i || z->node != map->zones[i - 1].node) {
			fprintf(out, "<text class=\"node\" x=\"%d\" y=\"%u\" ",
				BBMAP_MARGIN, y + 16);
			fprintf(out, "font-size=\"15\" font-weight=\"bold\">Node %d</text>\n",
				z->node);
			y += 26;
		}
		bbmap_size(size, sizeof(size), map, z->pages);
		snprintf(line, sizeof(line), "zone %s: pfn %lu, %s, %zu pageblocks",
			 z->name, z->start_pfn, size, z->nr);
		fprintf(out, "<text class=\"zone\" x=\"%d\" y=\"%u\">", BBMAP_MARGIN, y + 13);
		bbmap_xml(out, line);
		fputs("</text>\n", out);
		y += 20;
		for (j = 0; j < z->nr; j++) {
			x = BBMAP_MARGIN + (j % l.cols) * (l.cell + l.gap);
			bbmap_cell(out, &map->blocks[z->first + j], &l, x,
				   y + (j / l.cols) * (l.cell + l.gap));
		}
		y += (z->nr + l.cols - 1) / l.cols * (l.cell + l.gap) + 12;
	}

	/* the legend */
	y += 10;
	fprintf(out, "<g class=\"legend\">\n");
	for (t = 0; t < BBMAP_NR_TYPES; t++)
		bbmap_swatch(out, BBMAP_MARGIN + t * 140, y, bbmap_colours[t], 2,
			     0, 0, bbmap_types[t]);
	y += 26;
	bbmap_swatch(out, BBMAP_MARGIN, y, bbmap_colours[1], 0, 0, 0, "free");
	bbmap_swatch(out, BBMAP_MARGIN + 70, y, bbmap_colours[1], 3, 0, 0,
		     "solid: allocated share");
	bbmap_swatch(out, BBMAP_MARGIN + 270, y, bbmap_colours[1], 2, 1, 0,
		     "mixed (other types' pages)");
	bbmap_swatch(out, BBMAP_MARGIN + 490, y, bbmap_colours[3], 1, 0, 1,
		     "highatomic reserve");
	fputs("</g>\n</svg>\n", out);
	return ferror(out) ? -1 : 0;
}

int bbmap_svg_file(const char *path, const struct bbmap *map,
		   const char *name)
{
	FILE *out = fopen(path, "w");
	int ret, err;

	if (!out)
		return -1;
	ret = bbmap_svg(out, map, name);
	err = errno;
	if (fclose(out) && !ret) {
		ret = -1;
		err = errno;
	}
	errno = err;
	return ret;
}
