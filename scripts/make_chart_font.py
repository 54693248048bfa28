#!/usr/bin/env python3
"""Generate assets/fonts/gridledger-chart.ttf, the "GridLedger Chart" metrics font.

What it is for
    charts-rs lays out SVG text (legends, axis labels, titles) by measuring it
    with a font it has registered; the only one it embeds is Roboto, which has
    no CJK glyphs, so Chinese labels are measured as Roboto's .notdef glyph and
    overlap. This font is registered with `charts_rs::add_fonts` and named as
    the charts' `font_family` for MEASURING ONLY. It is never shown to users:
    the browser draws the SVG text with its own (CJK-capable) fonts.

What it contains
    * Roboto's own glyphs, with their exact outlines and advances, for Basic
      Latin, Latin-1, the pinyin tone letters, general punctuation and a few
      symbols (see KEEP below). Hinting, kerning and layout tables are dropped:
      charts-rs uses none of them.
    * ONE extra glyph, "cjk": advance 1 em, outline a closed box spanning
      x 0.04-0.96 em and y -0.12-0.88 em. A cmap format 13 subtable (platform
      0, encoding 6: many-to-one ranges) maps the CJK blocks (CJK_RANGES
      below) to it, so each CJK character measures one em wide.

How to run (one-time; the output is committed and CI never runs this)
    pip install fonttools
    python3 scripts/make_chart_font.py [PATH/TO/charts-rs/src/Roboto.ttf] [-o OUT]
    Defaults: charts-rs 2.3.0's Roboto.ttf in the cargo registry, and
    assets/fonts/gridledger-chart.ttf next to this script's repository.

License
    Derived from Roboto (Copyright 2011 Google Inc.), as shipped inside the
    charts-rs crate, licensed under the Apache License, Version 2.0
    (http://www.apache.org/licenses/LICENSE-2.0). Modified by subsetting,
    renaming and adding the "cjk" glyph, as this script does.
"""

import argparse
import os
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

DEFAULT_ROBOTO = os.path.expanduser(
    "~/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/charts-rs-2.3.0/src/Roboto.ttf"
)
REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "assets" / "fonts" / "gridledger-chart.ttf"

FAMILY = "GridLedger Chart"
POSTSCRIPT = "GridLedgerChart-Regular"
GLYPH = "cjk"

# Roboto code points kept (inclusive ranges; those Roboto lacks are skipped).
KEEP = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement (incl. · × ÷ ¥ ° ±)
    # Pinyin tone letters: ā ē ě ī ō ū, ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ (and capitals)
    (0x0100, 0x0101), (0x0112, 0x0113), (0x011A, 0x011B), (0x012A, 0x012B),
    (0x014C, 0x014D), (0x016A, 0x016B), (0x01CD, 0x01DC),
    (0x2010, 0x2027),  # General punctuation: dashes – —, quotes “ ”, •, …
    (0x2030, 0x2030),  # ‰
    (0x2032, 0x2033),  # ′ ″
    (0x2039, 0x203A),  # ‹ ›
    (0x2044, 0x2044),  # ⁄
    (0x20A0, 0x20BF),  # currency signs: € ₽ ₹ …
    (0x2116, 0x2116),  # №
    (0x2122, 0x2122),  # ™
    (0x2212, 0x2212),  # − minus
    (0x2248, 0x2248),  # ≈
    (0x2260, 0x2260),  # ≠
    (0x2264, 0x2265),  # ≤ ≥
    (0x221E, 0x221E),  # ∞
    (0xFFFD, 0xFFFD),  # replacement character
]

# Mapped to the "cjk" glyph by the format 13 subtable.
CJK_RANGES = [
    (0x2E80, 0x2FDF),  # CJK radicals, Kangxi radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation: 、。「」《》
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x312F),  # Bopomofo
    (0x3190, 0x31FF),  # Kanbun, Bopomofo ext., CJK strokes, Katakana ext.
    (0x3200, 0x33FF),  # Enclosed CJK, CJK compatibility
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms
    (0xFF01, 0xFF60),  # Full-width forms: ，（）：！？
    (0xFFE0, 0xFFE6),  # Full-width signs: ￥ ￡ ￠
    (0x20000, 0x2FA1F),  # Planes 2: Extensions B-F, compatibility supplement
]
# Roboto has no arrows (U+2190-2193 etc.); a browser draws them from a symbol or CJK font, about
# one em wide, so they are measured as the "cjk" glyph too (over rather than
# under: a label a little too wide never overlaps its neighbour).
ARROWS = [(0x2190, 0x2199)]


def codepoints(ranges):
    for first, last in ranges:
        yield from range(first, last + 1)


def subset_roboto(src):
    font = TTFont(src)
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "hdmx", "LTSH", "VDMX"]
    options.hinting = False  # drops glyph instructions, fpgm, prep, cvt
    options.notdef_outline = True  # unmapped characters still measure as Roboto's .notdef
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.glyph_names = True
    options.recalc_bounds = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=list(codepoints(KEEP)))
    subsetter.subset(font)
    return font


def add_cjk_glyph(font):
    upem = font["head"].unitsPerEm
    x0, x1 = round(0.04 * upem), round(0.96 * upem)
    y0, y1 = round(-0.12 * upem), round(0.88 * upem)
    pen = TTGlyphPen(None)
    # One closed contour, clockwise (an outer TrueType contour).
    pen.moveTo((x0, y0))
    pen.lineTo((x0, y1))
    pen.lineTo((x1, y1))
    pen.lineTo((x1, y0))
    pen.closePath()
    glyph = pen.glyph()

    order = font.getGlyphOrder() + [GLYPH]
    font.setGlyphOrder(order)
    glyf = font["glyf"]
    glyf.glyphOrder = order
    glyf[GLYPH] = glyph
    glyph.recalcBounds(glyf)
    font["hmtx"][GLYPH] = (upem, glyph.xMin)
    font["maxp"].numGlyphs = len(order)
    return glyph


def add_cjk_cmap(font):
    sub = CmapSubtable.newSubtable(13)
    sub.platformID = 0  # Unicode
    sub.platEncID = 6  # full repertoire, for format 13
    sub.language = 0
    sub.cmap = {cp: GLYPH for cp in codepoints(CJK_RANGES + ARROWS)}
    cmap = font["cmap"]
    cmap.tables = [t for t in cmap.tables if (t.platformID, t.platEncID) != (0, 6)]
    cmap.tables.append(sub)
    # In the order of the spec; ttf-parser returns the first subtable's hit,
    # and none of the code points above is in Roboto's own subtables.
    cmap.tables.sort(key=lambda t: (t.platformID, t.platEncID, t.language))


def rename(font):
    name = font["name"]
    version = name.getDebugName(5) or "Version 1.0"
    records = {
        1: FAMILY,
        2: "Regular",
        3: f"{version.split(';')[0].replace('Version ', '')};{POSTSCRIPT}",
        4: FAMILY,
        6: POSTSCRIPT,
        10: "Metrics-only font for measuring GridLedger chart text (never displayed). "
        "Derived from Roboto: subset, renamed, one box glyph added for CJK.",
        16: FAMILY,
        17: "Regular",
    }
    # Roboto is a trademark of Google; this derived font is not Roboto.
    name.names = [n for n in name.names if n.nameID not in (7, 8, 9, 11, 12, 18, 21, 22)]
    platforms = sorted({(n.platformID, n.platEncID, n.langID) for n in name.names}) or [(3, 1, 0x409)]
    for name_id, text in records.items():
        for platform_id, enc_id, lang_id in platforms:
            name.setName(text, name_id, platform_id, enc_id, lang_id)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roboto", nargs="?", default=DEFAULT_ROBOTO, help="charts-rs src/Roboto.ttf")
    parser.add_argument("-o", "--output", default=str(DEFAULT_OUT))
    args = parser.parse_args()

    font = subset_roboto(args.roboto)
    add_cjk_glyph(font)
    add_cjk_cmap(font)
    rename(font)
    font["post"].formatType = 2.0  # keep glyph names, so "cjk" can be found by name
    font["post"].extraNames = []
    font["post"].mapping = {}

    font.recalcTimestamp = False  # keep Roboto's dates: the same input gives the same bytes

    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out))
    print(f"wrote {out} ({out.stat().st_size} bytes, {len(font.getGlyphOrder())} glyphs)")


if __name__ == "__main__":
    sys.exit(main())
