#!/usr/bin/env bash
# Site-build benchmark: Beacon against the Hugo peer on the shared corpus, in one run.
#
#   scripts/bench.sh [LESSONS] [ROUNDS]      default 10000 lessons, 5 rounds
#
# Each round builds the same corpus with both tools, alternating which goes first, each into
# an emptied output folder (as a CI build would). Prints wall time and peak memory per run,
# the medians, and the ratios Beacon / Hugo. Absolute times on a shared machine drift; the
# ratio of medians measured in one run is the figure to quote.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
shared="$here/../shared/bench"
n="${1:-10000}"
rounds="${2:-5}"

bash "$here/scripts/setup.sh"
need=()
command -v hugo >/dev/null || need+=(hugo)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

(cd "$here" && swift build -c release -q)
beacon="$here/.build/release/beacon"

work="$(mktemp -d /tmp/beacon-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
python3 "$shared/gen_corpus.py" "$work/site" "$n"
mkdir -p "$work/site/themes"
ln -s "$here/themes/default" "$work/site/themes/default"
cp -r "$shared/hugo-site" "$work/hugo-site"
ln -s "$work/site/content" "$work/hugo-site/content"

run() { # name command...
  local name="$1"; shift
  sync
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/err.txt" || { cat "$work/err.txt"; exit 1; }
  read -r secs kb < "$work/time.txt"
  echo "$name $secs $kb" | tee -a "$work/results.txt"
}
beacon_run() { rm -rf "$work/site/output"; run beacon "$beacon" build -q -r "$work/site"; }
hugo_run()   { rm -rf "$work/hugo-out";    run hugo hugo --quiet -s "$work/hugo-site" -d "$work/hugo-out"; }

echo "# $n lessons, $rounds rounds: tool seconds peak-KB"
beacon_run >/dev/null; hugo_run >/dev/null; : > "$work/results.txt"   # warm the file cache
for i in $(seq "$rounds"); do
  if [ $((i % 2)) -eq 1 ]; then beacon_run; hugo_run; else hugo_run; beacon_run; fi
done

pages=$(find "$work/site/output/site" -name '*.html' | wc -l)
hugo_pages=$(find "$work/hugo-out" -name '*.html' | wc -l)
python3 - "$work/results.txt" "$pages" "$hugo_pages" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1])]
def med(tool, col): return statistics.median(float(r[col]) for r in rows if r[0] == tool)
bw, hw = med("beacon", 1), med("hugo", 1)
bm, hm = med("beacon", 2) / 1024, med("hugo", 2) / 1024
print(f"pages written: beacon {sys.argv[2]}, hugo {sys.argv[3]}")
print(f"median wall:   beacon {bw:.2f} s, hugo {hw:.2f} s, ratio {bw / hw:.2f}")
print(f"median memory: beacon {bm:.0f} MB, hugo {hm:.0f} MB, ratio {bm / hm:.2f}")
PY
