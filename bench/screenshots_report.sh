#!/usr/bin/env bash
# Screenshots of a harmonization report for the docs (docs/reports.md): the first page, the heat-map
# page and the last page (the annex, with the data version) of the four-party report, about 800 px
# wide, into docs/screenshots/.
# Needs poppler-utils (pdftoppm, pdftotext, pdfinfo). Run by `make screenshots`, or directly:
#   bench/screenshots_report.sh [crosswalk executable] [store]
set -euo pipefail
cd "$(dirname "$0")/.."
crosswalk=${1:-.venv/bin/crosswalk}
store=${2:-${CROSSWALK_STORE:-.crosswalk-store}}
out=docs/screenshots
mkdir -p "$out"
"$crosswalk" ingest --store "$store" >/dev/null  # a no-op for rule files already in the store
pdf=$(mktemp --suffix=.pdf)
trap 'rm -f "$pdf"' EXIT
"$crosswalk" report EU KR US-CO CN --as-of 2026-12-03 --format pdf -o "$pdf" --store "$store"
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
page() { # the first page whose text holds $1
  local n
  for ((n = 1; n <= pages; n++)); do
    if pdftotext -f "$n" -l "$n" "$pdf" - | grep -F "$1" >/dev/null; then echo "$n"; return; fi
  done
  echo "no page holds '$1'" >&2
  return 1
}
heatmap=$(page "3. Heat map")
page "8. Annex" >/dev/null # the annex is there, and the last page is its end
annex=$pages
# A4 is 8.27 inches wide: 97 dpi makes 802 pixels
for shot in "first 1" "heatmap $heatmap" "annex $annex"; do
  read -r name n <<<"$shot"
  pdftoppm -png -r 97 -singlefile -f "$n" -l "$n" "$pdf" "$out/report-$name"
done
echo "$pages pages; wrote $out/report-first.png (page 1), report-heatmap.png (page $heatmap), report-annex.png (page $annex)"
