#!/usr/bin/env bash
# Import benchmark: a 100-page .docx (generated here: 100 sections of a heading, twelve
# paragraphs of bold lead sentence and body, and a table; about 1,300 paragraphs, 290 KB of
# Markdown) imported with `beacon import`, five times; prints each time and the median.
#
#   scripts/bench-import.sh [ROUNDS]     default 5
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-5}"
bash "$here/scripts/setup.sh"
(cd "$here" && swift build -c release -q)
beacon="$here/.build/release/beacon"
work="$(mktemp -d /tmp/beacon-import-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
python3 - "$work/百页.docx" <<'PY'
import sys, zipfile
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/package/2006/relationships"
paras = ['<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>百页学习材料</w:t></w:r></w:p>']
for i in range(100):
    paras.append(f'<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>第{i + 1}部分</w:t></w:r></w:p>')
    for j in range(12):
        paras.append('<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>坚持把党的政治建设摆在首位。</w:t></w:r><w:r><w:t xml:space="preserve">'
                     '支部每季度至少召开一次党员大会，2026年共开展主题党日12次,参加党员达到95%以上。学习贯彻党的二十大精神，'
                     '推动各项工作落实见效。</w:t></w:r></w:p>')
    paras.append('<w:tbl><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="5000"/></w:tblGrid>' + ''.join(
        f'<w:tr><w:tc><w:p><w:r><w:t>项目{k}</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>说明{k}</w:t></w:r></w:p></w:tc></w:tr>'
        for k in range(5)) + '</w:tbl>')
z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED)
z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
z.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="{R}"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{"".join(paras)}</w:body></w:document>')
z.writestr("word/styles.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W}"><w:style w:styleId="Title"><w:name w:val="Title"/></w:style><w:style w:styleId="Heading1"><w:name w:val="heading 1"/></w:style></w:styles>')
z.close()
PY
times=()
for i in $(seq "$rounds"); do
  rm -rf "$work/site"; mkdir -p "$work/site/content/lessons"
  printf 'title: 基准\nbase_url: https://example.org/\n' > "$work/site/content/site.yml"
  /usr/bin/time -f "%e" -o "$work/t.txt" "$beacon" import "$work/百页.docx" -r "$work/site" 2>/dev/null
  t=$(cat "$work/t.txt"); times+=("$t"); echo "run $i: $t s"
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print "median " a[int((NR+1)/2)] " s (goal ≤ 1 s)"}'
wc -c "$work/site/content/lessons/"*/*.md | awk '{print "Markdown written: " $1 " bytes"}'
