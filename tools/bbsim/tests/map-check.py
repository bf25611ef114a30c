#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check a pageblock map drawn by tools/lib/bbmap.c (bbsim --map, buddyctl map).

  map-check.py SVG [--cells N] [--fresh] [--fragmented] [--png PNG]

The SVG must be well-formed XML with one <g class="pb"> per pageblock
(--cells: exactly N).  --fresh: every cell Movable, empty and all free.
--fragmented: some cell not Movable, some mixed, some partly allocated.
--png: the picture a renderer made of it has the SVG's size, and at each
cell whose bottom right corner is wholly free (pale) or allocated (solid)
the pixel there has the cell's colour: a missing or misplaced cell, a
wrong colour or a blank picture fail.  Prints what it found; exits 1 on a
failed check.
"""
import argparse
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

SVG = '{http://www.w3.org/2000/svg}'
COLOURS = {
    'Unmovable': (0xd5, 0x5e, 0x00), 'Movable': (0x00, 0x72, 0xb2),
    'Reclaimable': (0x00, 0x9e, 0x73), 'HighAtomic': (0xcc, 0x79, 0xa7),
    'Isolate': (0x66, 0x66, 0x66),
}
TINT = 0.22     # the fill-opacity of a cell's free part


def fail(msg):
    print('map-check: FAIL: ' + msg)
    sys.exit(1)


def read_png(path):
    """(width, height, rows of (r, g, b) tuples) of an 8-bit RGB/RGBA PNG."""
    with open(path, 'rb') as f:
        data = f.read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        fail(f'{path}: not a PNG')
    pos, idat, ihdr = 8, b'', None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            ihdr = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    if not ihdr:
        fail(f'{path}: no IHDR')
    w, h, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        fail(f'{path}: depth {depth} colour type {ctype} interlace {interlace}: not read here')
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        ft = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ft == 1:
                line[i] = (line[i] + a) & 0xff
            elif ft == 2:
                line[i] = (line[i] + b) & 0xff
            elif ft == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xff
            elif ft == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xff
        rows.append(line)
        prev = line
    def pixel(x, y):
        line = rows[y]
        return tuple(line[x * bpp:x * bpp + 3])
    return w, h, pixel


def close(a, b, tol=14):
    return all(abs(x - y) <= tol for x, y in zip(a, b))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('svg')
    ap.add_argument('--cells', type=int)
    ap.add_argument('--fresh', action='store_true')
    ap.add_argument('--fragmented', action='store_true')
    ap.add_argument('--png')
    args = ap.parse_args()

    try:
        root = ET.parse(args.svg).getroot()
    except ET.ParseError as e:
        fail(f'{args.svg}: not well-formed: {e}')
    if root.tag != SVG + 'svg':
        fail(f'{args.svg}: the root is {root.tag}, not svg')
    cells = [g for g in root.iter(SVG + 'g') if g.get('class') == 'pb']
    types = {}
    for g in cells:
        types[g.get('data-type')] = types.get(g.get('data-type'), 0) + 1
    mixed = sum(g.get('data-state') == 'mixed' for g in cells)
    partly = sum(0 < int(g.get('data-free')) < int(g.get('data-pages')) for g in cells)
    free = sum(int(g.get('data-free')) == int(g.get('data-pages')) for g in cells)
    print(f'map-check: {len(cells)} cells, types {types}, {free} all free, '
          f'{partly} partly allocated, {mixed} mixed')
    if args.cells is not None and len(cells) != args.cells:
        fail(f'{len(cells)} cells, not {args.cells}')
    if args.fresh and (types != {'Movable': len(cells)} or free != len(cells)
                       or mixed or not cells):
        fail('a fresh sandbox should be all Movable and free')
    if args.fragmented and (types.get('Movable', 0) == len(cells) or not mixed
                            or not partly):
        fail('a fragmented sandbox should have cells of other types, mixed and partly allocated ones')

    if not args.png:
        return
    w, h, pixel = read_png(args.png)
    sw, sh = int(float(root.get('width'))), int(float(root.get('height')))
    if (w, h) != (sw, sh):
        fail(f'{args.png}: {w}x{h}, the SVG says {sw}x{sh}')
    checked = wrong = 0
    colours = set()
    for g in cells:
        rect = g.find(SVG + 'rect')
        x, y = float(rect.get('x')), float(rect.get('y'))
        size = float(rect.get('width'))
        nfree, pages = int(g.get('data-free')), int(g.get('data-pages'))
        used_h = size * (pages - nfree) / pages
        base = COLOURS[g.get('data-type')]
        if nfree == pages:
            want = tuple(round(255 * (1 - TINT) + c * TINT) for c in base)
        elif used_h >= 4:
            want = base
        else:
            continue
        px, py = int(x + size - 3), int(y + size - 3)
        got = pixel(px, py)
        colours.add(got)
        checked += 1
        if not close(got, want):
            wrong += 1
            if wrong <= 5:
                print(f'map-check: cell at pfn {g.get("data-pfn")}: pixel ({px},{py}) '
                      f'is {got}, wanted {want}')
    print(f'map-check: {args.png}: {w}x{h}, {checked} cells sampled, {wrong} wrong, '
          f'{len(colours)} colours among them')
    if not checked or wrong > checked // 50:
        fail(f'{wrong} of {checked} sampled cells have the wrong colour')


if __name__ == '__main__':
    main()
