#!/usr/bin/env bash
# Search benchmark: the offline index of the 10,000-lesson corpus, its size, and the time of a
# first query in headless Chromium (a cold browser: meta.json, the query's shards and one
# chunk of titles loaded over HTTP from a local server), with the bytes that query loaded.
#
#   scripts/bench-search.sh [LESSONS]     default 10000 lessons
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-10000}"
bash "$here/scripts/setup-tests.sh"
(cd "$here" && swift build -c release -q)
beacon="$here/.build/release/beacon"
work="$(mktemp -d /tmp/beacon-search-bench.XXXXXX)"
port=$((20000 + RANDOM % 20000))
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
python3 "$here/../shared/bench/gen_corpus.py" "$work/site" "$n"
mkdir -p "$work/site/themes"; ln -s "$here/themes/default" "$work/site/themes/default"
"$beacon" build -r "$work/site" >/dev/null
index="$work/site/output/site/search"
base=$(sed -n 's/^base_url: *https\?:\/\/[^/]*\(\/.*\)$/\1/p' "$work/site/content/site.yml"); base="${base:-/}"
mkdir -p "$work/served$(dirname "${base%/}")"
ln -s "$work/site/output/site" "$work/served${base%/}"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/served" >/dev/null 2>&1 &
server=$!
until curl -s -o /dev/null "http://127.0.0.1:$port$base"; do sleep 0.2; done

files=$(ls "$index"/*.json | wc -l)
total=$(du -cb "$index"/*.json | tail -1 | cut -f1)
shards=$(ls "$index"/t*.json | wc -l)
largest=$(stat -c %s "$index"/t*.json | sort -n | tail -1)
mean=$(( $(du -cb "$index"/t*.json | tail -1 | cut -f1) / shards ))
gz=$(cat "$index"/*.json | gzip -6 | wc -c)
printf 'index: %d files, %.1f MB (%.1f MB gzip); %d token shards, mean %d KB, largest %d KB\n' \
  "$files" "$(echo "$total/1000000" | bc -l)" "$(echo "$gz/1000000" | bc -l)" "$shards" $((mean / 1000)) $((largest / 1000))

# The bytes a query loads, and how long fetching them takes (curl, one after another; the
# browser fetches them in parallel). Chromium's --virtual-time-budget runs the page on virtual
# time, so the page's own figure (data-ms) is the script's time: parsing, ranking, listing.
# The bytes a query loads: meta.json, its tokens' shards (search.js run under Node picks
# them exactly as in the browser) and the first chunk of titles.
cat > "$work/tokens.js" <<'JS'
const fs = require('fs');
const el = () => ({ value: '', hidden: false, innerHTML: '', textContent: '', form: { addEventListener() {} }, addEventListener() {}, getAttribute() { return '/'; }, appendChild() {} });
global.document = { currentScript: el(), getElementById: el };
global.location = { search: '' }; global.history = { replaceState() {} }; global.window = global; global.fetch = () => new Promise(() => {});
eval(fs.readFileSync(process.argv[2], 'utf8'));
const meta = JSON.parse(fs.readFileSync(process.argv[3] + '/meta.json', 'utf8'));
const syl = {}; meta.syllables.forEach(s => syl[s] = true);
const names = new Set(['meta.json', 'd0.json']);
window.beaconSearch.tokens(process.argv[4], syl).forEach(t => names.add('t' + window.beaconSearch.shard(t, meta.shards) + '.json'));
console.log([...names].map(f => process.argv[3] + '/' + f).join('\n'));
JS
for q in 服务 主题党日 先锋模范 dangyuan; do
  files=$(node "$work/tokens.js" "$here/themes/default/static/search.js" "$index" "$q")
  bytes=$(echo "$files" | xargs du -cb | tail -1 | cut -f1)
  fetch=0
  for f in $files; do
    t=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port${base}search/$(basename "$f")")
    fetch=$(echo "$fetch + $t" | bc -l)
  done
  times=()
  for i in 1 2 3; do
    rm -rf "$work/profile"
    dom=$(chromium --headless --no-sandbox --disable-gpu --user-data-dir="$work/profile" --virtual-time-budget=20000 --dump-dom \
      "http://127.0.0.1:$port${base}search/?q=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))' "$q")" 2>/dev/null)
    ms=$(echo "$dom" | grep -o 'data-ms="[0-9]*"' | grep -o '[0-9]*' || echo "?")
    found=$(echo "$dom" | grep -o 'data-text-failed="[^"]*">[^<]*' | sed 's/.*">//')
    times+=("$ms")
  done
  printf 'query %-10s %s; loads %d KB, fetched in %.0f ms; script %s ms (3 cold runs: %s)\n' "$q" "$found" $((bytes / 1000)) \
    "$(echo "$fetch * 1000" | bc -l)" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)" "${times[*]}"
done
