#!/usr/bin/env bash
# Pocket-book benchmark: an A6 book of about 200 pages from the shared corpus, typeset by
# Beacon (Markdown → PDF, the whole `beacon build`) and by WeasyPrint (the same lessons'
# HTML, as Beacon's site renders them, printed at A6), in one run, alternating.
#
#   scripts/bench-book.sh [LESSONS] [ROUNDS]     default 60 lessons (about 200 A6 pages), 3 rounds
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
shared="$here/../shared/bench"
n="${1:-60}"
rounds="${2:-3}"

bash "$here/scripts/setup-tests.sh"
if ! command -v weasyprint >/dev/null || [ ! -x /usr/bin/time ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq weasyprint time >/dev/null
fi
(cd "$here" && swift build -c release -q)
beacon="$here/.build/release/beacon"

work="$(mktemp -d /tmp/beacon-book-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
# The corpus puts lesson i in series i mod 8: take one series' worth of n lessons.
python3 "$shared/gen_corpus.py" "$work/site" "$((n * 8))"
for d in "$work/site/content/lessons/"*; do
  [ "$(basename "$d")" = "两学一做" ] || rm -rf "$d"
done
mkdir -p "$work/site/themes" "$work/site/content/books"
ln -s "$here/themes/default" "$work/site/themes/default"
cat > "$work/site/content/books/bench.yml" <<YML
title: 基准口袋书
publisher: 基准测试
size: a6
contents:
  - series: 两学一做
YML

# The same lessons as HTML for WeasyPrint: Beacon's own rendering of each lesson body.
"$beacon" build -q -r "$work/site"
pages=$(pdfinfo "$work/site/output/books/bench.pdf" | awk '/^Pages:/ {print $2}')
python3 - "$work/site/output/site/lessons" "$work/book.html" <<'PY'
import sys, os, re, html
root, out = sys.argv[1], sys.argv[2]
parts = []
for series in sorted(os.listdir(root)):
    sdir = os.path.join(root, series)
    if not os.path.isdir(sdir): continue
    for lesson in sorted(os.listdir(sdir)):
        f = os.path.join(sdir, lesson, "index.html")
        if not os.path.isfile(f): continue
        page = open(f, encoding="utf-8").read()
        title = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
        body = re.search(r'<div class="prose">(.*?)</div>\s*(?:<figure class="share">|<nav class="pager")', page, re.S)
        body = body.group(1) if body else ""
        parts.append(f'<section class="lesson"><h1>{title}</h1>{body}</section>')
css = """
@page { size: 105mm 148mm; margin: 13mm 10mm 14mm 12mm; @bottom-center { content: counter(page); font-size: 7pt; } }
body { font-family: "Noto Serif CJK SC"; font-size: 9.5pt; line-height: 1.7; text-align: justify; }
h1, h2, h3 { font-family: "Noto Sans CJK SC"; color: #a81c1c; break-after: avoid; }
h1 { font-size: 14pt; } h2 { font-size: 12pt; } h3 { font-size: 10pt; }
.lesson { break-before: page; }
p { text-indent: 2em; margin: 0; orphans: 2; widows: 2; }
blockquote { font-family: "AR PL UKai CN"; border-left: 1.2pt solid #c9a227; margin: 0.5em 0 0.5em 1em; padding-left: 1em; }
table { border-collapse: collapse; font-size: 8.5pt; border-top: 1pt solid; border-bottom: 1pt solid; }
th { border-bottom: 0.5pt solid; } th, td { padding: 2pt 4pt; }
"""
open(out, "w", encoding="utf-8").write(f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>{css}</style></head><body>{"".join(parts)}</body></html>')
PY

run() { # name command...
  local name="$1"; shift
  sync
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/err.txt" || { cat "$work/err.txt"; exit 1; }
  read -r secs kb < "$work/time.txt"
  echo "$name $secs $kb" | tee -a "$work/results.txt"
}
beacon_run() { rm -rf "$work/site/output"; run beacon "$beacon" build -q -r "$work/site"; }
weasy_run()  { rm -f "$work/weasy.pdf"; run weasyprint weasyprint "$work/book.html" "$work/weasy.pdf"; }

echo "# A6 book: $n lessons, Beacon $pages pages; $rounds rounds: tool seconds peak-KB"
: > "$work/results.txt"
for i in $(seq "$rounds"); do
  if [ $((i % 2)) -eq 1 ]; then beacon_run; weasy_run; else weasy_run; beacon_run; fi
done
weasy_pages=$(pdfinfo "$work/weasy.pdf" | awk '/^Pages:/ {print $2}')
echo "# typographic metrics (scripts/print-metrics.py)"
python3 "$here/scripts/print-metrics.py" "$work/site/output/books/bench.pdf" "$work/weasy.pdf" | sed "s|$work/||"
python3 - "$work/results.txt" "$pages" "$weasy_pages" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1])]
def med(tool, col): return statistics.median(float(r[col]) for r in rows if r[0] == tool)
b, w = med("beacon", 1), med("weasyprint", 1)
print(f"pages: beacon {sys.argv[2]}, weasyprint {sys.argv[3]}")
print(f"median wall: beacon {b:.2f} s, weasyprint {w:.2f} s; weasyprint / beacon = {w / b:.1f}x")
print(f"median memory: beacon {med('beacon', 2) / 1024:.0f} MB, weasyprint {med('weasyprint', 2) / 1024:.0f} MB")
PY
