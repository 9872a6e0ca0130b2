#!/usr/bin/env bash
# Board benchmark: a 1200 × 900 mm board of 20 blocks (text, flow, people, stats, branches,
# stars, schedule, qr, image), rendered to its PDF (with TrimBox/BleedBox) and PNG preview.
# Prints the board stage's time (BEACON_TIMINGS) over several runs and the median.
#
#   scripts/bench-board.sh [ROUNDS]     default 5
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-5}"
bash "$here/scripts/setup.sh"
(cd "$here" && swift build -c release -q)
beacon="$here/.build/release/beacon"
work="$(mktemp -d /tmp/beacon-board-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/themes"
cp -r "$here/content" "$work/content"
rm -f "$work/content/boards/"*.yml "$work/content/books/"*.yml
ln -s "$here/themes/default" "$work/themes/default"
python3 - "$work/content/boards/bench.yml" <<'PY'
import sys
blocks = []
for i in range(8):
    blocks.append(f"""  - type: text
    title: 制度要点{i + 1}
    body: |
      每季度召开一次，讨论重大事项。""")
blocks.append("""  - type: flow
    title: 支部党员大会流程
    span: 3
    stages:
      - { title: 会前准备, steps: [确定议题, 提前通知] }
      - { title: 召开会议, steps: [讨论, 表决] }
      - { title: 会后落实, steps: [形成记录, 分解任务] }""")
blocks.append("""  - type: people
    title: 身边的榜样
    span: 2
    people:""" + "".join(f"\n      - {{ name: 党员{i}, photo: /media/people/person{i % 6 + 1}.jpg, role: 党小组长 }}" for i in range(4)))
for i in range(4):
    blocks.append(f"""  - type: stats
    title: 数字{i + 1}
    items: [{{ label: 党员, value: {100 + i}, unit: 名 }}, {{ label: 志愿服务, value: {900 + i}, unit: 小时 }}]""")
blocks.append("""  - type: branches
    title: 五星支部
    span: 2
    where: { stars: 5 }""")
blocks.append("""  - type: stars
    branch: qingshi-cun""")
blocks.append("""  - type: schedule
    title: 主题党日
    span: 2
    year: 2026""")
blocks.append("""  - type: qr
    target: lessons/主题党日/主题党日怎样组织
    caption: 扫码学习""")
blocks.append("""  - type: image
    src: /media/boards/activity.jpg
    caption: 活动现场""")
blocks.append("""  - type: qr
    target: branches/qingshi-cun
    caption: 支部主页""")
assert len(blocks) == 20, len(blocks)
open(sys.argv[1], "w", encoding="utf-8").write("title: 基准展板\nsubtitle: 二十个版块\nsize: exhibition-landscape\ncolumns: 5\nblocks:\n" + "\n".join(blocks) + "\n")
PY
: > "$work/times.txt"
for i in $(seq "$rounds"); do
  rm -rf "$work/output"
  BEACON_TIMINGS=1 "$beacon" build -q -r "$work" 2>&1 | awk '$1 == "boards" {print $2}' | tee -a "$work/times.txt"
done
python3 - "$work/times.txt" <<'PY'
import sys, statistics
t = [float(l) for l in open(sys.argv[1]) if l.strip()]
print(f"board stage (20 blocks, 1200 x 900 mm, PDF + PNG): median {statistics.median(t):.0f} ms over {len(t)} runs")
PY
