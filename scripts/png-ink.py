#!/usr/bin/env python3
"""Prints a PNG's width, height and the fraction of pixels that are not near-white.

Used by the report rendering test to check that headless Chromium drew the review (a blank
or failed render is all white). Reads 8-bit RGB/RGBA, non-interlaced PNGs (what Chromium
writes) with the standard library only. Exit 2 on a file it cannot read.
"""
import struct
import sys
import zlib


def read_png(path):
    with open(path, "rb") as handle:
        data = handle.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    offset, idat, header = 8, b"", None
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    width, height, depth, color, _, _, interlace = header
    if depth != 8 or color not in (2, 6) or interlace:
        raise ValueError("unsupported PNG layout")
    channels = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + predictor) & 0xFF
        rows.append(line)
        previous = line
    return width, height, channels, rows


def main():
    try:
        width, height, channels, rows = read_png(sys.argv[1])
    except (OSError, ValueError, zlib.error, TypeError, IndexError) as error:
        print(f"cannot read {sys.argv[1] if len(sys.argv) > 1 else '(none)'}: {error}", file=sys.stderr)
        return 2
    ink = 0
    for line in rows:
        for x in range(0, width * channels, channels):
            if min(line[x], line[x + 1], line[x + 2]) < 200:
                ink += 1
    print(f"{width} {height} {ink / (width * height):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
