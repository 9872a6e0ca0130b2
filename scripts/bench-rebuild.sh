#!/usr/bin/env bash
# Rebuild benchmark (issue 16): the shared corpus built once, then rebuilt into the same
# output with the build cache the way an editor works: ROUNDS times one lesson given one more
# paragraph (a different lesson each round), and ROUNDS times nothing changed. Prints each
# run's wall and user time and the medians.
#
#   scripts/bench-rebuild.sh [LESSONS] [ROUNDS]      default 10000 lessons, 5 rounds
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-10000}"
rounds="${2:-5}"
bash "$here/scripts/setup.sh"
[ -x /usr/bin/time ] || { SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"; $SUDO apt-get install -y -qq time >/dev/null; }
(cd "$here" && swift build -c release -q)
beacon="$here/.build/release/beacon"
work="$(mktemp -d /tmp/beacon-rebuild-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
python3 "$here/../shared/bench/gen_corpus.py" "$work/site" "$n" >/dev/null
mkdir -p "$work/site/themes"
ln -s "$here/themes/default" "$work/site/themes/default"
build() { # mode
  sync
  /usr/bin/time -f "%e %U" -o "$work/time.txt" "$beacon" build -q -r "$work/site" >/dev/null 2>"$work/err.txt" || { tail "$work/err.txt"; exit 1; }
  read -r secs user < "$work/time.txt"
  printf '%-10s %6s s  user %6s s\n' "$1" "$secs" "$user"
  echo "$1 $secs $user" >> "$work/results.txt"
}
echo "# $n lessons, $rounds rounds"
build first >/dev/null; build warm >/dev/null; : > "$work/results.txt"
mapfile -t lessons < <(find "$work/site/content/lessons" -name '*.md' | sort | awk 'NR % 997 == 1')
for i in $(seq "$rounds"); do
  f="${lessons[$(( (i - 1) % ${#lessons[@]} ))]}"
  printf '\n**第%d次补充。**本支部结合实际，再谈一点体会。\n' "$i" >> "$f"
  build one-lesson
  build unchanged
done
python3 - "$work/results.txt" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1])]
for mode in ("one-lesson", "unchanged"):
    w = statistics.median(float(r[1]) for r in rows if r[0] == mode)
    u = statistics.median(float(r[2]) for r in rows if r[0] == mode)
    print(f"{mode:10} median wall {w:.2f} s, user {u:.2f} s")
PY
