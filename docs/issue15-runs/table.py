#!/usr/bin/env python3
"""Prints the validation evaluations of training runs as Markdown rows: one row per evaluation.

Usage: table.py RUN_DIR...   (each RUN_DIR holds the train_log.jsonl that `seglight train` writes)
"""
import json
import sys

CLASSES = ["Sky", "Building", "Pole", "Road", "Pavement", "Tree", "SignSymbol", "Fence", "Car", "Pedestrian",
           "Bicyclist"]

for run in sys.argv[1:]:
    with open(f"{run}/train_log.jsonl") as f:
        for line in f:
            rec = json.loads(line)
            if "val_miou" not in rec:
                continue
            per = rec["val_per_class"]
            cells = [run.rstrip("/").split("/")[-1], str(rec["iter"]), f"**{100 * rec['val_miou']:.2f}**",
                     f"{100 * rec['val_pixel_accuracy']:.2f}"] + [f"{100 * per[c]:.1f}" for c in CLASSES]
            print("| " + " | ".join(cells) + " |")
