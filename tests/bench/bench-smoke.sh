#!/bin/sh
# The benchmark harnesses on small inputs, once: every mode runs and reports the figures the runner reads.
set -eu
bench="$1"
generation="$2"
batch="$3"
cli="$4"
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
mkdir -p "$dir/empty"
out="$("$bench" open "$dir/empty")"; echo "$out"
echo "$out" | grep -q '"library_images":0' || { echo "the empty library should open"; exit 1; }
out="$("$generation" idle 300)"; echo "$out"
echo "$out" | grep -q '"stall_max_ms"'
for mode in burst single; do
    out="$("$generation" "$mode" 3 256 --photo 2>/dev/null)"; echo "$out"
    for field in stall_max_ms decode_ms last_byte_to_thumbnail_median_ms first_answer_to_last_thumbnail_ms; do
        echo "$out" | grep -q "\"$field\"" || { echo "$mode: missing $field"; exit 1; }
    done
    echo "$out" | grep -q '"images":3' || { echo "$mode: 3 images expected"; exit 1; }
done
out="$("$batch" "$cli" 6 2)"; echo "$out"
for field in raw_images_per_s batch_images_per_s batch_vs_raw decode_cpu_ms batch_cpu_ms_per_image; do
    echo "$out" | grep -q "\"$field\"" || { echo "batch: missing $field"; exit 1; }
done
