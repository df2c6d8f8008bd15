#!/bin/sh
# The benchmark harness on a small library, once: every mode runs and reports the figures the runner reads.
set -eu
bench="$1"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
"$bench" make-library "$dir" 150 96
out="$("$bench" blank)"; echo "$out"
echo "$out" | grep -q '"first_paint_ms"'
out="$("$bench" open "$dir" --scroll)"; echo "$out"
for field in first_paint_ms first_thumbnails_ms peak_rss_kib scroll_pages scroll_page_median_ms; do
    echo "$out" | grep -q "\"$field\"" || { echo "missing $field"; exit 1; }
done
echo "$out" | grep -q '"library_images":150' || { echo "the library should hold 150 images"; exit 1; }
out="$("$bench" search "$dir")"; echo "$out"
echo "$out" | grep -q '"search_one_word_ms"'
