#!/usr/bin/env python3
"""Runs the studio's benchmarks several times and prints medians as ratios against baselines measured in the same run:
a blank Qt window for start and memory, an idle event loop for stalls, a plain QImage decode for the time an image
takes from its last byte to the grid, a bare HTTP client and a plain decode for pixapi-cli batch (issue #9 targets: start <= 2.5x blank, RSS <= 150 MiB at 10k images, longest
UI stall <= 16 ms while 8 answers of 2048 px arrive at once, search < 50 ms).

--platform picks the Qt platform plugin for both sides: offscreen (no display: what CI has; a window costs nothing
to create or show there) or xcb (a real X11 connection, as on a Linux desktop; needs DISPLAY, e.g. under xvfb-run)."""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run(bench, *args, env):
    env = dict(env, PIXAPI_BENCH_T0_NS=str(time.monotonic_ns()))
    out = subprocess.run([bench, *args], env=env, check=True, capture_output=True, text=True).stdout
    for line in reversed(out.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"no figures from {args}: {out}")


def med(runs, key):
    return statistics.median(r[key] for r in runs)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench", required=True, help="path of the bench_gallery binary")
    parser.add_argument("--generation", help="path of the bench_generation binary (default: next to --bench)")
    parser.add_argument("--batch", help="path of the bench_batch binary (default: next to --bench)")
    parser.add_argument("--cli", help="path of pixapi-cli (default: cli/pixapi-cli of the same build)")
    parser.add_argument("--batch-rows", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--images", type=int, default=10000)
    parser.add_argument("--edge", type=int, default=512, help="edge of the generated images in pixels")
    parser.add_argument("--library", default=os.path.expanduser("~/.cache/pixapi-bench"),
                        help="where generated libraries are kept between runs")
    parser.add_argument("--json", help="also write the figures to this file (the platform is added to its name)")
    parser.add_argument("--platform", default="offscreen", choices=["offscreen", "xcb", "wayland"],
                        help="Qt platform plugin for every run (default offscreen)")
    args = parser.parse_args()

    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = args.platform
    data = os.path.join(args.library, f"lib-{args.images}-{args.edge}")
    if not os.path.exists(os.path.join(data, "complete")):
        shutil.rmtree(data, ignore_errors=True)
        os.makedirs(data)
        print(f"generating {args.images} images of {args.edge} px in {data} ...", flush=True)
        started = time.monotonic()
        subprocess.run([args.bench, "make-library", data, str(args.images), str(args.edge)], env=env, check=True)
        open(os.path.join(data, "complete"), "w").close()
        print(f"  done in {time.monotonic() - started:.0f} s")

    # First open with an empty thumbnail cache: every visible thumbnail decoded from its source.
    shutil.rmtree(os.path.join(data, "cache"), ignore_errors=True)
    cold = run(args.bench, "open", data, env=env)

    blank, opened = [], []
    for _ in range(args.runs):  # interleaved, so a busy moment of the machine hits both sides
        blank.append(run(args.bench, "blank", env=env))
        opened.append(run(args.bench, "open", data, env=env))
    # The first scroll reads every cached thumbnail from disk after a build evicted them: a warm-up, not counted.
    scrolled = [run(args.bench, "open", data, "--scroll", env=env) for _ in range(max(1, args.runs // 2) + 1)][1:]
    searched = [run(args.bench, "search", data, env=env) for _ in range(3)]

    empty = []
    for _ in range(args.runs):  # a first start: a new, empty data directory each time
        with tempfile.TemporaryDirectory() as first_start:
            empty.append(run(args.bench, "open", first_start, env=env))

    generation = args.generation or os.path.join(os.path.dirname(args.bench), "bench_generation")
    idle, bursts, photo_bursts, singles, photo_singles = [], [], [], [], []
    for _ in range(args.runs):
        idle.append(run(generation, "idle", "3000", env=env))
        bursts.append(run(generation, "burst", "8", "2048", env=env))
        photo_bursts.append(run(generation, "burst", "8", "2048", "--photo", env=env))
        singles.append(run(generation, "single", "5", "2048", env=env))
        photo_singles.append(run(generation, "single", "5", "2048", "--photo", env=env))

    bench_dir = os.path.dirname(args.bench)
    batch = args.batch or os.path.join(bench_dir, "bench_batch")
    cli = args.cli or os.path.join(bench_dir, "..", "..", "cli", "pixapi-cli")
    batches = [run(batch, cli, str(args.batch_rows), "8", env=env) for _ in range(args.runs)]

    b_paint, b_rss = med(blank, "first_paint_ms"), med(blank, "peak_rss_kib")
    b_stall = med(idle, "stall_max_ms")
    rows = [
        ("blank window: start → first paint", b_paint, "ms", 1.0, ""),
        ("studio, empty library: start → first paint", med(empty, "first_paint_ms"), "ms",
         med(empty, "first_paint_ms") / b_paint, "≤ 2.5×"),
        ("studio, 10k library: start → first paint", med(opened, "first_paint_ms"), "ms",
         med(opened, "first_paint_ms") / b_paint, ""),
        ("studio, 10k library: start → first screen of thumbnails", med(opened, "first_thumbnails_ms"), "ms",
         med(opened, "first_thumbnails_ms") / b_paint, "≤ 2.5×"),
        ("  same, thumbnail cache empty (one run)", cold["first_thumbnails_ms"], "ms",
         cold["first_thumbnails_ms"] / b_paint, ""),
        ("blank window: peak RSS", b_rss / 1024, "MiB", 1.0, ""),
        ("studio, empty library: peak RSS at first paint", med(empty, "peak_rss_kib") / 1024, "MiB",
         med(empty, "peak_rss_kib") / b_rss, ""),
        ("studio: peak RSS at first thumbnails", med(opened, "peak_rss_kib") / 1024, "MiB",
         med(opened, "peak_rss_kib") / b_rss, ""),
        ("studio: peak RSS after scrolling all 10k", med(scrolled, "scroll_peak_rss_kib") / 1024, "MiB",
         med(scrolled, "scroll_peak_rss_kib") / b_rss, "≤ 150 MiB"),
        ("scroll whole grid: pages", med(scrolled, "scroll_pages"), "", None, ""),
        ("scroll: page with thumbnails, median", med(scrolled, "scroll_page_median_ms"), "ms", None, ""),
        ("scroll: slowest page", med(scrolled, "scroll_page_max_ms"), "ms", None, ""),
    ]
    for key in sorted(k for k in searched[0] if k.startswith("search_")):
        rows.append((f"search {key[7:-3].replace('_', ' ')} (page of 300)", med(searched, key), "ms", None, "< 50 ms"))
    rows.append(("idle event loop: longest stall (3 s)", b_stall, "ms", 1.0, ""))
    for name, runs in (("sandbox renders", bursts), ("photo-like", photo_bursts)):
        size = med(runs, "png_bytes_median") / 1e6
        rows += [
            (f"8 answers at once, {name} ({size:.1f} MB PNG): longest UI stall", med(runs, "stall_max_ms"), "ms",
             med(runs, "stall_max_ms") / b_stall, "≤ 16 ms"),
            ("  99th percentile of the probe's waits", med(runs, "stall_p99_ms"), "ms", None, ""),
            ("  first answer's last byte → all 8 thumbnails", med(runs, "first_answer_to_last_thumbnail_ms"), "ms",
             None, ""),
        ]
    for name, runs in (("sandbox renders", singles), ("photo-like", photo_singles)):
        decode = med(runs, "decode_ms")
        rows += [
            (f"one answer, {name}: QImage decode of the PNG", decode, "ms", 1.0, ""),
            ("  last byte → stored in the library", med(runs, "last_byte_to_saved_median_ms"), "ms",
             med(runs, "last_byte_to_saved_median_ms") / decode, ""),
            ("  last byte → thumbnail in the grid", med(runs, "last_byte_to_thumbnail_median_ms"), "ms",
             med(runs, "last_byte_to_thumbnail_median_ms") / decode, ""),
        ]
    raw_rate, decode_cpu = med(batches, "raw_images_per_s"), med(batches, "decode_cpu_ms")
    rows += [
        (f"{args.batch_rows} requests of 1024 px at concurrency 8: bare HTTP client", raw_rate, "/s", 1.0, ""),
        ("  pixapi-cli batch (journaled, stored, tagged): images per second", med(batches, "batch_images_per_s"),
         "/s", med(batches, "batch_images_per_s") / raw_rate, ""),
        ("one answer: QImage decode of the PNG, CPU time", decode_cpu, "ms", 1.0, ""),
        ("  pixapi-cli batch: client CPU per image (user + system)", med(batches, "batch_cpu_ms_per_image"), "ms",
         med(batches, "batch_cpu_ms_per_image") / decode_cpu, ""),
    ]
    print(f"\nmedians of {args.runs} runs ({opened[0]['library_images']} images, {args.edge} px, "
          f"QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']}, {os.cpu_count()} cores)")
    for name, value, unit, ratio, target in rows:
        ratio_text = f"{ratio:5.2f}× base" if ratio is not None else ""
        print(f"  {name:<76} {value:9.1f} {unit:<4} {ratio_text:<13} {target}")
    if args.json:
        root, ext = os.path.splitext(args.json)
        with open(f"{root}-{args.platform}{ext or '.json'}", "w") as out:
            json.dump({"blank": blank, "open": opened, "empty": empty, "cold": cold, "scroll": scrolled,
                       "search": searched, "idle": idle, "burst": bursts, "burst_photo": photo_bursts,
                       "single": singles, "single_photo": photo_singles,
                       "batch": batches}, out, indent=1)


if __name__ == "__main__":
    sys.exit(main())
