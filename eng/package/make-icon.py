#!/usr/bin/env python3
"""Writes eng/package/icon.png (128x128): four parallel bars of different lengths on a rounded tile, i.e. a pool of
workers at work. Plain zlib + struct, no imaging library. Run: python3 eng/package/make-icon.py"""
import os, struct, zlib

SIZE = 128
BG = (0x1F, 0x3A, 0x5F)
BARS = [(0x4F, 0xC3, 0xF7), (0x81, 0xD4, 0xFA), (0xFF, 0xB7, 0x4D), (0xAE, 0xD5, 0x81)]
LENGTHS = [0.85, 0.55, 0.70, 0.40]

def pixel(x, y):
    r = 20  # corner radius
    cx = min(max(x, r), SIZE - 1 - r)
    cy = min(max(y, r), SIZE - 1 - r)
    if (x - cx) ** 2 + (y - cy) ** 2 > r * r:
        return (0, 0, 0, 0)
    for i, (color, length) in enumerate(zip(BARS, LENGTHS)):
        top = 22 + i * 22
        if top <= y < top + 14 and 18 <= x < 18 + int((SIZE - 36) * length):
            return color + (255,)
    return BG + (255,)

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(SIZE)) for y in range(SIZE))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "icon.png"), "wb") as f:
    f.write(png)
