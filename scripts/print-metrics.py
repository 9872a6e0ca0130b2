#!/usr/bin/env python3
"""Typographic metrics of Beacon's printed PDFs, measured from the PDF alone.

    scripts/print-metrics.py [--json] [--list] FILE.pdf...

For each PDF it reads every character's box (pdfminer) and every word box (`pdftotext
-bbox-layout`), groups characters into lines by baseline, and counts:

  split_words      Latin words or numbers cut by a gap narrower than a word space: two
                   pdftotext words on one line, the first ending and the second starting with
                   a Latin letter or digit, less than 0.15 em apart; and pairs of Latin
                   letters or digits inside one line whose boxes are more than 0.08 em apart.
  bad_starts       lines that start with a mark that may not start a line (。，、；：！？）」…)
  bad_ends         lines that end with a mark that may not end a line (（「《“…)
  loose_lines      full-width lines whose median space between two Han characters is more
                   than 0.15 em beyond the characters' own advance
  lone_last_lines  last lines of a paragraph that hold one character, or one character and
                   its punctuation ("论。", "习：")
  lines, pages

A paragraph's last line is a line in body size that starts at most at the left edge of the
line before it (allowing a first-line indent), while that line before it (on the same page,
or the last body line of the page before) ends at the right edge of the text frame.

--list prints each finding with its page and text. Exit status 0; the numbers are the output.
"""
import json
import statistics
import subprocess
import sys
import xml.etree.ElementTree as ET

from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTContainer

# GB/T 15834: 点号, closing quotes and brackets, 连接号 and 间隔号 never start a line; 破折号 and
# 省略号 may (they must only stay whole).
NO_START = set("、。，．：；！？）］｝」』】〉》”’·・〕〗〙%‰℃")
NO_END = set("（［｛「『【〈《“‘〔〖〘")
PUNCT = NO_START | NO_END | set("　 ")


def is_han(c):
    if not c:
        return False
    o = ord(c[0])
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FFFF


def is_latin(c):
    return len(c) == 1 and c.isascii() and c.isalnum()


def chars_of(item):
    if isinstance(item, LTChar):
        yield item
    elif isinstance(item, LTContainer):
        for child in item:
            yield from chars_of(child)


def lines_of_page(page):
    """Characters grouped by baseline and size, split into segments at gaps over 1.5 em."""
    # Rows by baseline (the text matrix's origin, not the box: faces differ in descent), with
    # a tolerance of half a point or 2 % of the size (faces of one line may sit a little apart).
    chars = []
    for ch in chars_of(page):
        text = ch.get_text()
        if text and not text.isspace():
            chars.append(ch)
    chars.sort(key=lambda c: (round(c.size, 1), -c.matrix[5]))
    rows = {}
    last_key = None
    for ch in chars:
        size = round(ch.size, 1)
        y = ch.matrix[5]
        if last_key is not None and last_key[1] == size and abs(last_key[2] - y) <= max(0.5, 0.02 * size):
            key = last_key[:2]
        else:
            key = (round(y, 1), size)
        rows.setdefault(key, []).append(ch)
        last_key = (key[0], size, y)
    segments = []
    for (y, size), chars in rows.items():
        chars.sort(key=lambda c: c.x0)
        seg = [chars[0]]
        for a, b in zip(chars, chars[1:]):
            if b.x0 - a.x1 > 1.5 * size:
                segments.append((y, size, seg))
                seg = []
            seg.append(b)
        segments.append((y, size, seg))
    segments.sort(key=lambda s: (-s[0], s[2][0].x0))
    return segments


def word_splits(path):
    """Latin words cut apart, from pdftotext's word boxes."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", path, "-"], capture_output=True, check=True).stdout
    xml = xml.replace(b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">', b"")
    root = ET.fromstring(xml)
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    found = []
    for pno, page in enumerate(root.iter("{http://www.w3.org/1999/xhtml}page"), 1):
        for line in page.iter("{http://www.w3.org/1999/xhtml}line"):
            words = list(line.findall("h:word", ns))
            for a, b in zip(words, words[1:]):
                ta, tb = a.text or "", b.text or ""
                if not ta or not tb or not (is_latin(ta[-1]) and is_latin(tb[0])):
                    continue
                height = float(a.get("yMax")) - float(a.get("yMin"))
                em = height / 1.3 if height > 0 else 10
                gap = float(b.get("xMin")) - float(a.get("xMax"))
                # A word space in these faces is about a quarter em; a cut is much narrower.
                if gap < 0.15 * em:
                    found.append((pno, f"{ta}|{tb}"))
    return found


def measure(path, listing):
    pages = list(extract_pages(path))
    m = {"file": path, "pages": len(pages), "lines": 0, "split_words": 0, "bad_starts": 0,
         "bad_ends": 0, "loose_lines": 0, "lone_last_lines": 0}
    findings = []
    all_pages = [lines_of_page(p) for p in pages]
    sizes = [size for segs in all_pages for (_, size, seg) in segs for _ in seg]
    body = statistics.mode(sizes) if sizes else 0
    prev_body_line = None  # (segment, frame right) of the last body line seen
    for pno, segs in enumerate(all_pages, 1):
        body_segs = [s for s in segs if abs(s[1] - body) < 0.2 and len(s[2]) > 0]
        right = max((s[2][-1].x1 for s in body_segs), default=0)
        for y, size, seg in segs:
            text = "".join(c.get_text() for c in seg)
            m["lines"] += 1
            em = size or 10
            for a, b in zip(seg, seg[1:]):
                ca, cb = a.get_text(), b.get_text()
                if is_latin(ca) and is_latin(cb) and b.x0 - a.x1 > 0.08 * em:
                    m["split_words"] += 1
                    findings.append((pno, "split", text))
            if len(seg) > 1 and text[0] in NO_START:
                m["bad_starts"] += 1
                findings.append((pno, "bad start", text))
            if len(seg) > 1 and text[-1] in NO_END:
                m["bad_ends"] += 1
                findings.append((pno, "bad end", text))
            full = abs(seg[-1].x1 - right) < 0.3 * em
            if full and abs(size - body) < 0.2:
                gaps = [b.x0 - a.x1 for a, b in zip(seg, seg[1:]) if is_han(a.get_text()) and is_han(b.get_text())]
                if len(gaps) >= 4 and statistics.median(gaps) > 0.15 * em:
                    m["loose_lines"] += 1
                    findings.append((pno, "loose", text))
        for y, size, seg in body_segs:
            text = "".join(c.get_text() for c in seg)
            em = size
            if prev_body_line is not None:
                pseg, pright = prev_body_line
                prev_full = abs(pseg[-1].x1 - pright) < 0.3 * em
                starts_left = seg[0].x0 <= pseg[0].x0 + 0.3 * em and seg[0].x0 >= pseg[0].x0 - 2.6 * em
                short = seg[-1].x1 < right - 0.5 * em
                core = [c for c in text if c not in PUNCT]
                if prev_full and starts_left and short and len(core) == 1:
                    m["lone_last_lines"] += 1
                    findings.append((pno, "lone", text))
            prev_body_line = (seg, right)
    m["split_words"] += len(word_splits(path))
    if listing:
        for pno, kind, text in findings:
            print(f"{path}: page {pno}: {kind}: {text}")
        for pno, pair in word_splits(path):
            print(f"{path}: page {pno}: split word: {pair}")
    return m


def main():
    args = sys.argv[1:]
    as_json = "--json" in args
    listing = "--list" in args
    files = [a for a in args if not a.startswith("--")]
    results = [measure(f, listing) for f in files]
    if as_json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        for r in results:
            per100 = 100 * r["lone_last_lines"] / max(r["pages"], 1)
            print(f"{r['file']}: {r['pages']} pages, {r['lines']} lines; split words {r['split_words']}, "
                  f"bad starts {r['bad_starts']}, bad ends {r['bad_ends']}, loose lines {r['loose_lines']}, "
                  f"lone last lines {r['lone_last_lines']} ({per100:.1f} per 100 pages)")


if __name__ == "__main__":
    main()
