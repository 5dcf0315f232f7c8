#!/usr/bin/env python3
"""Writes the PNG and zlib fixtures of Tests/GANLabCoreTests/PNGDecoderTests.swift.

Run from anywhere: python3 Tests/Fixtures/png/make-fixtures.py. Only the standard library
(zlib, struct, json, random) is used, and the output is deterministic, so re-running it leaves
the committed files unchanged.

Good pictures, NAME.png, each with NAME.json beside it holding the expected decoded values:
  {"width": W, "height": H, "gray": [...], "alpha": [...]}, row-major, top row first, where gray
  is the Rec. 709 luminance 0.2126 R + 0.7152 G + 0.0722 B of the stored levels (each sample
  divided by 2^depth - 1; palette entries looked up), clamped to 1, and alpha is the alpha sample,
  the palette entry's tRNS opacity, 0 for the tRNS colour key, or 1.
Bad pictures, bad-NAME.png: the tests check the decoder's message for each.
zlib/: data.bin and the same bytes compressed in several ways (data-*.zz), plus far.zz, whose
  inflated bytes are described in the test.
"""

import json
import os
import random
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def pack_row(samples, depth):
    """Samples of one row as bytes: packed most significant bit first, or big-endian 16-bit."""
    if depth == 16:
        return b"".join(struct.pack(">H", s) for s in samples)
    if depth == 8:
        return bytes(samples)
    out, acc, used = bytearray(), 0, 0
    for s in samples:
        acc = acc << depth | s
        used += depth
        if used == 8:
            out.append(acc)
            acc, used = 0, 0
    if used:
        out.append(acc << (8 - used))
    return bytes(out)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filter_row(kind, row, above, step):
    out = bytearray([kind])
    for i, x in enumerate(row):
        a = row[i - step] if i >= step else 0
        b = above[i]
        c = above[i - step] if i >= step else 0
        predictor = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
        out.append((x - predictor) & 0xFF)
    return bytes(out)


def image_data(rows, depth, channels, filters):
    """The filtered scanlines; filters[y % len(filters)] is row y's filter type."""
    step = max(1, depth * channels // 8)
    packed = [pack_row(r, depth) for r in rows]
    above = bytes(len(packed[0]))
    out = bytearray()
    for y, row in enumerate(packed):
        out += filter_row(filters[y % len(filters)], row, above, step)
        above = row
    return bytes(out)


def png(width, height, depth, colour, raw, extra_before=b"", level=9, idat_pieces=1, interlace=0,
        compressed=None):
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace)
    z = compressed if compressed is not None else zlib.compress(raw, level)
    size = -(-len(z) // idat_pieces)
    idats = b"".join(chunk(b"IDAT", z[i:i + size]) for i in range(0, len(z), size))
    return SIGNATURE + chunk(b"IHDR", ihdr) + extra_before + idats + chunk(b"IEND", b"")


def luminance(r, g, b):
    return min(1.0, 0.2126 * r + 0.7152 * g + 0.0722 * b)


def expected(width, height, colour, depth, rows, palette=None, trns=None):
    top = (1 << depth) - 1
    gray, alpha = [], []
    for row in rows:
        for x in range(width):
            if colour == 0:
                v = row[x]
                gray.append(v / top)
                alpha.append(0.0 if trns is not None and v == trns[0] else 1.0)
            elif colour == 4:
                gray.append(row[2 * x] / top)
                alpha.append(row[2 * x + 1] / top)
            elif colour in (2, 6):
                n = CHANNELS[colour]
                r, g, b = (row[n * x + k] for k in range(3))
                gray.append(luminance(r / top, g / top, b / top))
                if colour == 6:
                    alpha.append(row[n * x + 3] / top)
                else:
                    alpha.append(0.0 if trns is not None and (r, g, b) == tuple(trns) else 1.0)
            else:
                r, g, b = palette[row[x]]
                gray.append(luminance(r / 255, g / 255, b / 255))
                alpha.append(trns[row[x]] / 255 if trns is not None and row[x] < len(trns) else 1.0)
    return {"width": width, "height": height,
            "gray": [round(v, 7) for v in gray], "alpha": [round(v, 7) for v in alpha]}


def write(name, data, values=None):
    with open(os.path.join(HERE, name + ".png"), "wb") as f:
        f.write(data)
    if values is not None:
        with open(os.path.join(HERE, name + ".json"), "w") as f:
            json.dump(values, f, separators=(",", ":"))
            f.write("\n")


def random_rows(rng, width, height, channels, depth):
    top = (1 << depth) - 1
    return [[rng.randint(0, top) for _ in range(width * channels)] for _ in range(height)]


def picture(name, colour, depth, width=13, height=6, filters=(0, 1, 2, 3, 4), seed=1, key=None, **options):
    """A good fixture of random samples; `key` picks a sample (row, pixel) whose value becomes the
    tRNS colour key, so at least one pixel is transparent."""
    rng = random.Random(seed)
    channels = CHANNELS[colour]
    rows = random_rows(rng, width, height, channels, depth)
    extra, trns = options.pop("extra_before", b""), None
    if key is not None:
        y, x = key
        trns = rows[y][channels * x:channels * x + channels]
        extra += chunk(b"tRNS", b"".join(struct.pack(">H", v) for v in trns))
    raw = image_data(rows, depth, channels, list(filters))
    write(name, png(width, height, depth, colour, raw, extra_before=extra, **options),
          expected(width, height, colour, depth, rows, trns=trns))
    return raw


def palette_picture(name, depth, entries, alphas=None, width=11, height=5, seed=2):
    rng = random.Random(seed)
    palette = [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(entries)]
    rows = [[rng.randrange(entries) for _ in range(width)] for _ in range(height)]
    extra = chunk(b"PLTE", bytes(v for rgb in palette for v in rgb))
    if alphas is not None:
        extra += chunk(b"tRNS", bytes(alphas))
    raw = image_data(rows, depth, 1, [0, 1, 2, 3, 4])
    write(name, png(width, height, depth, 3, raw, extra_before=extra),
          expected(width, height, 3, depth, rows, palette=palette, trns=alphas))


def good_pictures():
    for depth in (1, 2, 4, 8, 16):
        picture(f"grey-{depth}", 0, depth, seed=depth)
    picture("grey-4-trns", 0, 4, seed=3, key=(2, 5))
    picture("grey-16-trns", 0, 16, seed=4, key=(0, 0))
    for depth in (8, 16):
        picture(f"rgb-{depth}", 2, depth, seed=10 + depth)
        picture(f"grey-alpha-{depth}", 4, depth, seed=20 + depth)
        picture(f"rgba-{depth}", 6, depth, seed=30 + depth)
    picture("rgb-8-trns", 2, 8, seed=5, key=(4, 7))
    for depth in (1, 2, 4, 8):
        palette_picture(f"palette-{depth}", depth, entries=min(1 << depth, 200), seed=depth)
    palette_picture("palette-8-trns", 8, entries=40, alphas=[(37 * i) % 256 for i in range(25)], seed=9)
    for kind, name in enumerate(["none", "sub", "up", "average", "paeth"]):
        picture(f"filter-{name}", 2, 8, width=9, height=7, filters=(kind,), seed=40 + kind)
        picture(f"filter-{name}-grey-2", 0, 2, width=9, height=7, filters=(kind,), seed=50 + kind)
    ancillary = chunk(b"gAMA", struct.pack(">I", 45455)) + chunk(b"tEXt", b"Comment\x00fixture") \
        + chunk(b"ruSt", b"an unknown ancillary chunk")
    picture("multiple-idat", 6, 8, width=10, height=8, seed=60, idat_pieces=9, extra_before=ancillary)
    picture("stored", 2, 8, width=12, height=4, seed=61, level=0)
    picture("one-pixel", 0, 8, width=1, height=1, seed=62)


def bad_pictures():
    rng = random.Random(7)
    rows = random_rows(rng, 8, 4, 1, 8)
    raw = image_data(rows, 8, 1, [0])
    good = png(8, 4, 8, 0, raw)
    write("bad-signature", b"GIF89a" + good[6:])
    write("bad-interlaced", png(8, 4, 8, 0, raw, interlace=1))
    crc = bytearray(good)
    crc[8 + 8 + 13 + 3] ^= 0x01  # the last byte of IHDR's CRC
    write("bad-crc", bytes(crc))
    write("bad-truncated", good[:len(good) - 12 - 10])  # cut inside the IDAT chunk
    write("bad-oversized", png(100000, 100000, 8, 6, b"", compressed=zlib.compress(b"")))
    write("bad-zero-width", png(0, 4, 8, 0, b"", compressed=zlib.compress(b"")))
    write("bad-filter-type", png(8, 4, 8, 0, bytes([7]) + raw[1:]))
    z = bytearray(zlib.compress(raw))
    z[-1] ^= 0xFF
    write("bad-adler", png(8, 4, 8, 0, raw, compressed=bytes(z)))
    plte = chunk(b"PLTE", bytes([0, 0, 0, 255, 255, 255]))
    write("bad-palette-index", png(4, 1, 8, 3, bytes([0, 0, 1, 2, 1]), extra_before=plte))
    write("bad-short-data", png(8, 4, 8, 0, raw[:-3]))


def zlib_streams():
    folder = os.path.join(HERE, "zlib")
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(11)
    words = [b"generator", b"discriminator", b"spiral", b"gradient", b"the ", b"of ", b"mode ", b"\n"]
    letters, weights = b"etaoinshrdlucmfwypvbgkqjxz ", [27 - i for i in range(27)]
    parts = []
    while sum(map(len, parts)) < 8000:
        pick = rng.random()
        if pick < 0.5:  # made-up words: skewed letter frequencies favour a dynamic code
            parts.append(bytes(rng.choices(letters, weights, k=rng.randrange(2, 9))) + b" ")
        elif pick < 0.7:
            parts.append(rng.choice(words))
        elif pick < 0.8:
            parts.append(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40))))
        elif pick < 0.85:
            parts.append(bytes([rng.randrange(256)]) * rng.randrange(3, 600))
        elif parts:
            joined = b"".join(parts)
            start = rng.randrange(len(joined))
            parts.append(joined[start:start + rng.randrange(3, 300)])
    data = b"".join(parts)
    with open(os.path.join(folder, "data.bin"), "wb") as f:
        f.write(data)

    def save(name, stream):
        assert zlib.decompress(stream) == data
        with open(os.path.join(folder, name + ".zz"), "wb") as f:
            f.write(stream)

    for level in (0, 1, 6, 9):
        save(f"data-level{level}", zlib.compress(data, level))
    # A small memLevel means a small literal buffer (2^(memLevel + 6) symbols), hence many blocks:
    # memLevel 1 with Huffman-only coding gives dozens of dynamic blocks (and a few fixed and
    # stored ones); memLevel 2 mixes fixed and dynamic blocks with matches.
    for name, memory, strategy in [("many-blocks", 1, zlib.Z_HUFFMAN_ONLY), ("small-blocks", 2, zlib.Z_DEFAULT_STRATEGY),
                                   ("fixed", 8, zlib.Z_FIXED), ("huffman-only", 8, zlib.Z_HUFFMAN_ONLY),
                                   ("rle", 8, zlib.Z_RLE)]:
        c = zlib.compressobj(6, zlib.DEFLATED, 15, memory, strategy)
        save(f"data-{name}", c.compress(data) + c.flush())
    # A flush after each piece of random length: small pieces come out as fixed blocks, random
    # bytes as stored ones, and every flush adds an empty stored block.
    c, stream, start = zlib.compressobj(9), b"", 0
    while start < len(data):
        end = start + rng.randrange(5, 1500)
        stream += c.compress(data[start:end]) + c.flush(zlib.Z_FULL_FLUSH)
        start = end
    save("data-flushes", stream + c.flush())
    # far.zz: 258 random bytes, 32500 zero bytes, the same 258 bytes again.
    tail = bytes(rng.randrange(256) for _ in range(258))
    with open(os.path.join(folder, "far.zz"), "wb") as f:
        f.write(zlib.compress(tail + bytes(32500) + tail, 9))


if __name__ == "__main__":
    good_pictures()
    bad_pictures()
    zlib_streams()
