#!/usr/bin/env python3
"""Regenerates the bundled file targets (docs/TARGETS.md) with the standard library only.

    python3 experiments/data/make-data.py

two-moons.csv  2,000 points of two interleaved half circles with Gaussian noise σ 0.05
               (the construction of scikit-learn's make_moons), centred on the origin; seed 7.
face.png       a 128 × 128 grey-scale drawing of a face (a ring, two eyes, a smile), black
               strokes with anti-aliased edges on white: darker pixels hold more of the target.
"""
import math
import os
import random
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def two_moons(path, count=2000, noise=0.05, seed=7):
    rng = random.Random(seed)
    rows = []
    outer = count // 2
    for i in range(count):
        if i < outer:
            t = math.pi * i / (outer - 1)
            x, y = math.cos(t), math.sin(t)
        else:
            t = math.pi * (i - outer) / (count - outer - 1)
            x, y = 1 - math.cos(t), 0.5 - math.sin(t)
        # centre the pair on the origin: x in [−1, 2] → [−1.5, 1.5], y in [−0.5, 1] → [−0.75, 0.75]
        rows.append((x - 0.5 + rng.gauss(0, noise), y - 0.25 + rng.gauss(0, noise)))
    rng.shuffle(rows)
    with open(path, "w") as f:
        f.write("x,y\n")
        for x, y in rows:
            f.write(f"{x:.5f},{y:.5f}\n")


def distance_to_segment(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def face(path, size=128):
    # Strokes in unit coordinates (0..1, y down): a polyline per stroke and its half width.
    def arc(cx, cy, r, a0, a1, n=64):
        return [(cx + r * math.cos(a0 + (a1 - a0) * k / n), cy + r * math.sin(a0 + (a1 - a0) * k / n))
                for k in range(n + 1)]
    strokes = [
        (arc(0.5, 0.5, 0.40, 0, 2 * math.pi, 96), 0.030),           # head
        (arc(0.35, 0.40, 0.045, 0, 2 * math.pi, 24), 0.028),        # left eye
        (arc(0.65, 0.40, 0.045, 0, 2 * math.pi, 24), 0.028),        # right eye
        (arc(0.5, 0.52, 0.20, 0.2 * math.pi, 0.8 * math.pi), 0.030),  # smile
    ]
    segments = [(a, b, w) for line, w in strokes for a, b in zip(line, line[1:])]
    raw = bytearray()
    for row in range(size):
        raw.append(0)  # filter: none
        for column in range(size):
            px, py = (column + 0.5) / size, (row + 0.5) / size
            coverage = 0.0
            for (ax, ay), (bx, by), w in segments:
                d = distance_to_segment(px, py, ax, ay, bx, by)
                coverage = max(coverage, min(1.0, max(0.0, (w - d) * size + 0.5)))
            raw.append(round(255 * (1 - coverage)))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


if __name__ == "__main__":
    two_moons(os.path.join(HERE, "two-moons.csv"))
    face(os.path.join(HERE, "face.png"))
