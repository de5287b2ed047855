#!/usr/bin/env python3
"""Mean and spread over seeds of the val mIoU of the variant comparison runs.

Usage: seeds.py RUNS_DIR   (reads RUNS_DIR/cmp-VARIANT-sSEED/train_log.jsonl or RUNS_DIR/cmp-VARIANT-sSEED.jsonl, and seed42-earlier.tsv for the
seed-42 runs made before issue 15; prints Markdown rows)
Each row: variant, seeds, val mIoU at 250 and at 500 iterations as mean ± sample standard deviation, min-max,
and each seed's figure at 500.
"""
import glob
import json
import os
import re
import statistics
import sys

root = sys.argv[1]
runs = {}
logs = glob.glob(os.path.join(root, "cmp-*-s*/train_log.jsonl")) + glob.glob(os.path.join(root, "cmp-*-s*.jsonl"))
for log in sorted(logs):
    name = os.path.basename(os.path.dirname(log)) if log.endswith("train_log.jsonl") else os.path.basename(log)[:-6]
    m = re.match(r"cmp-(.+)-s(\d+)$", name)
    variant, seed = m.group(1), int(m.group(2))
    evals = {}
    with open(log) as f:
        for line in f:
            rec = json.loads(line)
            if "val_miou" in rec:
                evals[rec["iter"]] = 100 * rec["val_miou"]
    if 500 in evals:
        runs.setdefault(variant, {})[seed] = evals


# Earlier seed-42 runs whose logs were not kept: seed42-earlier.tsv beside this script.
earlier = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seed42-earlier.tsv")
with open(earlier) as f:
    for line in f:
        if line.startswith("#") or not line.strip():
            continue
        variant, at250, at500 = line.split("\t")
        runs.setdefault(variant, {}).setdefault(42, {250: float(at250), 500: float(at500)})


def fmt(values):
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.mean(values):.2f} ± {statistics.stdev(values):.2f}"


order = ["fpn", "denseclip", "convformer", "convformer-1unit", "convformer-4unit", "convformer-dot"]
for variant in sorted(runs, key=lambda v: order.index(v) if v in order else 99):
    seeds = sorted(runs[variant])
    at250 = [runs[variant][s].get(250, float("nan")) for s in seeds]
    at500 = [runs[variant][s][500] for s in seeds]
    each = ", ".join(f"{s}: {runs[variant][s][500]:.2f}" for s in seeds)
    print(f"| {variant} | {len(seeds)} | {fmt(at250)} | **{fmt(at500)}** | {min(at500):.2f}-{max(at500):.2f} | {each} |")
