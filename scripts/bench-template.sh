#!/usr/bin/env bash
# Template-board benchmark: the example 支部亮牌 template (content/boards/支部亮牌.yml) over
# generated branch profiles (made here, never committed), in one `beacon build`: a PDF and a
# PNG per branch, the ZIP for the print shop, and the website with a page per branch and per
# copy. Prints the wall time, the time per copy and the peak memory; then changes one branch
# profile and builds again, as an editor would, with the build cache the first build left
# (.beacon/cache: only that branch's batch of copies is made again), three times with a
# different branch each time, and prints the median.
#
#   scripts/bench-template.sh [BRANCHES]     default 3000
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-3000}"
bash "$here/scripts/setup.sh"
(cd "$here" && swift build -c release -q)
beacon="$here/.build/release/beacon"
work="$(mktemp -d /tmp/beacon-template-bench.XXXXXX)"
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
mkdir -p "$work/content/branches" "$work/content/boards" "$work/content/lessons/学习" "$work/themes"
ln -s "$here/themes/default" "$work/themes/default"
cp "$here/content/boards/支部亮牌.yml" "$work/content/boards/"
cat > "$work/content/site.yml" <<'YML'
title: 基准测试站点
organisation: 中共某某区委组织部
base_url: https://example.org/study/
YML
printf -- '---\ntitle: 一课\ndate: 2026-01-01\n---\n正文。\n' > "$work/content/lessons/学习/一课.md"
python3 - "$work/content/branches" "$n" <<'PY'
import random, sys, os
out, n = sys.argv[1], int(sys.argv[2])
r = random.Random(7)
places = "青石 桂花 石桥 东湖 西岭 南山 北坡 红星 向阳 金沙 银杏 长安 新华 光明 和平 团结 胜利 幸福 丰收 前进".split()
kinds = [("村", "农村", "总支部委员会"), ("社区", "社区", "委员会"), ("学校", "学校", "教职工支部委员会"),
         ("医院", "事业单位", "支部委员会"), ("公司", "国有企业", "第一支部委员会"), ("科技公司", "非公企业", "支部委员会"),
         ("局", "机关", "机关支部委员会"), ("协会", "社会组织", "支部委员会")]
surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗".strip()
given = "建国 秀英 明 静 伟 丽 强 芳 军 敏 华 红 平 刚 桂英 志强 晓 海燕 文 涛".split()
works = ["党员联户", "周一夜谈", "议事协商", "志愿服务", "技术攻关", "结对帮扶", "红色讲堂", "网格服务", "业务讲堂", "微心愿认领"]
summaries = ["每名党员联系十户群众，有事第一时间到场", "每周碰头议一议身边的事，议定的事张榜公示",
             "党员带头认领岗位，服务时长记入积分", "把难题列成清单，党员领办、限时办结"]
for i in range(n):
    place = r.choice(places) + r.choice(places)
    short, domain, tail = r.choice(kinds)
    name = f"中共{place}{short}{tail}"
    ps = r.sample(works, 3)
    with open(os.path.join(out, f"branch-{i:05d}.md"), "w", encoding="utf-8") as f:
        f.write("---\n")
        f.write(f"name: {name}\nshort_name: {place}{short}党支部\ndomain: {domain}\nstars: {r.randint(1, 5)}\n")
        f.write(f"secretary: {r.choice(surnames)}{r.choice(given)}\nmembers: {r.randint(8, 240)}\n")
        f.write("practices:\n" + "".join(f"  - {{ title: {p}, summary: {r.choice(summaries)} }}\n" for p in ps))
        f.write(f"commitments: [亮身份, 做承诺, 践诺言]\n---\n{name}坚持把支部建在一线。\n")
PY
cd "$work"
rm -rf output
/usr/bin/time -f "%e %M" -o "$work/time.txt" env BEACON_TIMINGS=1 "$beacon" build > "$work/out.txt" 2> "$work/err.txt" || { tail -20 "$work/err.txt"; exit 1; }
read -r secs kb < "$work/time.txt"
tail -1 "$work/out.txt"
boards=$(grep '^boards ' "$work/err.txt" | awk '{print $2}')
copies=$(ls output/boards/zhi-bu-liang-pai/*.pdf | wc -l)
zip=$(stat -c %s output/boards/zhi-bu-liang-pai.zip)
printf 'branches %d, copies %d (PDF + PNG each), ZIP %.0f MB\n' "$n" "$copies" "$(echo "$zip/1000000" | bc -l)"
printf 'whole build %.1f s (board stage %.1f s), %.1f ms per copy, peak memory %d MB\n' "$secs" "$(echo "$boards/1000" | bc -l)" \
  "$(echo "$secs*1000/$copies" | bc -l)" $((kb / 1024))
# One branch changed, rebuilt into the same output with the build cache (after the first
# build's gigabyte of files has reached the disk, as bench.sh does before every run). Three
# times, a different branch each time; the median is the figure (this machine is shared).
: > "$work/rebuilds.txt"
for b in 00042 01042 02042; do
  sed -i 's/^members: \([0-9]*\)/members: 1\1/' "content/branches/branch-$b.md"
  sync
  /usr/bin/time -f "%e %M" -o "$work/time2.txt" env BEACON_TIMINGS=1 "$beacon" build > "$work/out2.txt" 2> "$work/err2.txt" || { tail -20 "$work/err2.txt"; exit 1; }
  read -r secs2 kb2 < "$work/time2.txt"
  boards2=$(grep '^boards ' "$work/err2.txt" | awk '{print $2}')
  printf 'one branch changed (branch-%s), rebuilt with the cache: whole build %.1f s (board stage %.1f s), peak memory %d MB\n' "$b" "$secs2" \
    "$(echo "$boards2/1000" | bc -l)" $((kb2 / 1024))
  echo "$secs2" >> "$work/rebuilds.txt"
done
printf 'one branch changed, median of 3: %.1f s\n' "$(sort -n "$work/rebuilds.txt" | sed -n 2p)"
