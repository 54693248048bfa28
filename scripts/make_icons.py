"""Draws the app's PNG icons (assets/icon-192.png, assets/icon-512.png) from the same shapes as
assets/icon.svg: a red rounded square with a white grid. Pure Python (zlib), 4×4 supersampled.
Run once when the icon changes: python3 scripts/make_icons.py"""
import struct
import zlib

RED = (0xB3, 0x26, 0x1E)
WHITE = (0xFF, 0xFF, 0xFF)


def inside_rounded(x, y, r=12.0, size=64.0):
    cx = min(max(x, r), size - r)
    cy = min(max(y, r), size - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def white(x, y):
    # The square's outline: 14..50, stroke 4 (12..16 and 48..52); the cross: 32 ± 1.5.
    in_outer = 12 <= x <= 52 and 12 <= y <= 52
    in_inner = 16 < x < 48 and 16 < y < 48
    if in_outer and not in_inner:
        return True
    if 14 <= x <= 50 and 14 <= y <= 50 and (abs(x - 32) <= 1.5 or abs(y - 32) <= 1.5):
        return True
    return False


def render(px):
    s = 4
    rows = []
    for j in range(px):
        row = bytearray([0])
        for i in range(px):
            acc = [0, 0, 0, 0]
            for sj in range(s):
                for si in range(s):
                    x = (i + (si + 0.5) / s) * 64.0 / px
                    y = (j + (sj + 0.5) / s) * 64.0 / px
                    if not inside_rounded(x, y):
                        continue
                    c = WHITE if white(x, y) else RED
                    acc[0] += c[0]
                    acc[1] += c[1]
                    acc[2] += c[2]
                    acc[3] += 255
            n = s * s
            a = acc[3] // n
            if a:
                row += bytes([acc[0] * 255 // acc[3], acc[1] * 255 // acc[3], acc[2] * 255 // acc[3], a])
            else:
                row += bytes([0, 0, 0, 0])
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", px, px, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


for size in (192, 512):
    with open("assets/icon-%d.png" % size, "wb") as f:
        f.write(render(size))
    print("assets/icon-%d.png" % size)
