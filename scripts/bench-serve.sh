#!/usr/bin/env bash
# Editing benchmark: `beacon serve` on the 10,000-lesson corpus; one lesson's text is edited
# several times and the time from the change being seen to the page being rewritten is read
# from the server's log, with the wall time until the new text is served over HTTP.
#
#   scripts/bench-serve.sh [LESSONS] [EDITS]     default 10000 lessons, 5 edits
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-10000}"; edits="${2:-5}"
bash "$here/scripts/setup-tests.sh"
(cd "$here" && swift build -c release -q)
beacon="$here/.build/release/beacon"
work="$(mktemp -d /tmp/beacon-serve-bench.XXXXXX)"
port=$((20000 + RANDOM % 20000))
python3 "$here/../shared/bench/gen_corpus.py" "$work" "$n"
mkdir -p "$work/themes"; ln -s "$here/themes/default" "$work/themes/default"
"$beacon" serve -r "$work" --port "$port" 2> "$work/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
until curl -s -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.5; done
lesson=$(ls "$work/content/lessons/两学一做/" | sed -n 1p)
file="$work/content/lessons/两学一做/$lesson"
slug="${lesson%.md}"
url="http://127.0.0.1:$port/lessons/liang-xue-yi-zuo/$slug/"
for i in $(seq "$edits"); do
  marker="编辑标记$i$RANDOM"
  start=$(date +%s.%N)
  printf '\n%s\n' "$marker" >> "$file"
  until curl -s "$url" | grep -q "$marker"; do sleep 0.02; done
  end=$(date +%s.%N)
  echo "edit $i: served after $(python3 -c "print(f'{($end - $start) * 1000:.0f}')") ms"
done
echo "server log (time from the change being seen to the pages written):"
grep "updated" "$work/serve.log" | sed 's/^/  /'
