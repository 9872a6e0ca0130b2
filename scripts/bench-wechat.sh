#!/usr/bin/env bash
# What the WeChat copies add to a build: the shared corpus built twice side by side in one run,
# once as it is and once with `wechat: true`, alternating which goes first.
#
#   scripts/bench-wechat.sh [LESSONS] [ROUNDS]     default 10000 lessons, 3 rounds
#
# Each round: a clean build (output/ removed, the build cache kept, as a CI job that keeps
# .beacon/cache does) and a rebuild into that output. The first build with `wechat: true`
# draws every cover and share picture (an empty cache); its time is printed on its own. The
# figure to quote is the ratio of medians, with / without.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
shared="$here/../shared/bench"
n="${1:-10000}"
rounds="${2:-3}"

bash "$here/scripts/setup.sh"
[ -x /usr/bin/time ] || { SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"; $SUDO apt-get update -qq && $SUDO apt-get install -y -qq time >/dev/null; }
(cd "$here" && swift build -c release -q)
beacon="$here/.build/release/beacon"

work="$(mktemp -d /tmp/beacon-bench-wechat.XXXXXX)"
trap 'rm -rf "$work"' EXIT
python3 "$shared/gen_corpus.py" "$work/plain" "$n" >/dev/null
mkdir -p "$work/plain/themes"
ln -s "$here/themes/default" "$work/plain/themes/default"
cp -r "$work/plain" "$work/wechat"
echo "wechat: true" >> "$work/wechat/content/site.yml"

run() { # label site
  sync
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$beacon" build -q -r "$work/$2" >/dev/null 2>"$work/err.txt" || { cat "$work/err.txt"; exit 1; }
  read -r secs user sys kb < "$work/time.txt"
  printf '%-16s %6s s  user %6s s  sys %6s s  %7s KB\n' "$1" "$secs" "$user" "$sys" "$kb"
  echo "$1 $secs $user $sys $kb" >> "$work/results.txt"
}
echo "# $n lessons, $rounds rounds"
run plain-first plain >/dev/null
run wechat-cold wechat
: > "$work/results.txt"
for i in $(seq "$rounds"); do
  for site in $( [ $((i % 2)) -eq 1 ] && echo "plain wechat" || echo "wechat plain" ); do
    rm -rf "$work/$site/output"; run "$site-clean" "$site"
  done
  for site in $( [ $((i % 2)) -eq 1 ] && echo "wechat plain" || echo "plain wechat" ); do
    run "$site-rebuild" "$site"
  done
done
python3 - "$work/results.txt" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = lambda label, col: statistics.median(float(r[col]) for r in rows if r[0] == label)
for mode in ("clean", "rebuild"):
    p, w = med(f"plain-{mode}", 1), med(f"wechat-{mode}", 1)
    pu, wu = med(f"plain-{mode}", 2), med(f"wechat-{mode}", 2)
    print(f"{mode:8s} wall {p:6.2f} s -> {w:6.2f} s  (+{(w / p - 1) * 100:4.1f} %)   user {pu:6.2f} s -> {wu:6.2f} s")
PY
