#!/usr/bin/env bash
# Site-build benchmark: Beacon against the Hugo peer on the shared corpus, in one run.
#
#   scripts/bench.sh [LESSONS] [ROUNDS]      default 10000 lessons, 5 rounds
#
# Each round builds the same corpus with both tools, alternating which tool goes first: a
# clean build into an emptied output folder with no build cache (a first build), for Beacon
# also one with the build cache of the build before (a CI job that keeps .beacon/cache, which
# Beacon's CI templates do; compared with Hugo's clean build), then a rebuild into the output
# there (as an editor would). Prints wall
# time, user and system CPU time and peak memory per run, the medians, and the ratios
# Beacon / Hugo. Absolute times on a shared machine drift; the ratio of medians measured in
# one run is the figure to quote.
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
python3 "$shared/gen_corpus.py" "$work/site" "$n" >/dev/null
mkdir -p "$work/site/themes"
ln -s "$here/themes/default" "$work/site/themes/default"
cp -r "$shared/hugo-site" "$work/hugo-site"
ln -s "$work/site/content" "$work/hugo-site/content"

run() { # tool mode command...
  local tool="$1" mode="$2"; shift 2
  sync
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/err.txt" || { cat "$work/err.txt"; exit 1; }
  read -r secs user sys kb < "$work/time.txt"
  printf '%-6s %-7s %6s s  user %6s s  sys %6s s  %7s KB\n' "$tool" "$mode" "$secs" "$user" "$sys" "$kb"
  echo "$tool $mode $secs $user $sys $kb" >> "$work/results.txt"
}
beacon_build() { run beacon "$1" "$beacon" build -q -r "$work/site"; }
hugo_build()   { run hugo "$1" hugo --quiet -s "$work/hugo-site" -d "$work/hugo-out"; }
# clean: no output and no build cache (a first build); cached: no output, the cache of the
# build before kept (a CI job that keeps .beacon/cache); rebuild: into the output there.
clean_beacon() { rm -rf "$work/site/output" "$work/site/.beacon"; beacon_build clean; }
cached_beacon() { rm -rf "$work/site/output"; beacon_build cached; }
clean_hugo()   { rm -rf "$work/hugo-out"; hugo_build clean; }

echo "# $n lessons, $rounds rounds"
clean_beacon >/dev/null; clean_hugo >/dev/null; : > "$work/results.txt"   # warm the file cache
for i in $(seq "$rounds"); do
  if [ $((i % 2)) -eq 1 ]; then
    clean_beacon; clean_hugo; cached_beacon; beacon_build rebuild; hugo_build rebuild
  else
    clean_hugo; clean_beacon; cached_beacon; hugo_build rebuild; beacon_build rebuild
  fi
done

pages=$(find "$work/site/output/site" -name '*.html' | wc -l)
hugo_pages=$(find "$work/hugo-out" -name '*.html' | wc -l)
python3 - "$work/results.txt" "$pages" "$hugo_pages" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1])]
def med(tool, mode, col): return statistics.median(float(r[col]) for r in rows if r[0] == tool and r[1] == mode)
print(f"pages written: beacon {sys.argv[2]}, hugo {sys.argv[3]}")
for mode, peer in (("clean", "clean"), ("cached", "clean"), ("rebuild", "rebuild")):
    bw, hw = med("beacon", mode, 2), med("hugo", peer, 2)
    bu, hu = med("beacon", mode, 3), med("hugo", peer, 3)
    bs, hs = med("beacon", mode, 4), med("hugo", peer, 4)
    bm, hm = med("beacon", mode, 5) / 1024, med("hugo", peer, 5) / 1024
    print(f"{mode:8} median wall {bw:6.2f} s vs {hw:6.2f} s, ratio {bw / hw:.2f} | "
          f"user {bu:6.2f} s vs {hu:6.2f} s, ratio {bu / hu:.2f} | sys {bs:5.2f} vs {hs:5.2f} | "
          f"peak {bm:.0f} MiB vs {hm:.0f} MiB")
PY
