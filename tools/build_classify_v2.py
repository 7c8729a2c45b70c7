#!/usr/bin/env python3
"""Build tests/fixtures/classify/v2.jsonl: the fresh issue-17 draws (v2-dev, v2-held-out).

Usage: tools/build_classify_v2.py REF_DIR
  REF_DIR holds cset-arxiv-ai-relevance.jsonl.gz (CSET's arXiv AI-relevance data,
  github.com/georgetown-cset/ai-relevant-papers, Apache-2.0; arXiv metadata CC0).
  With LIST=v2-dev or LIST=v2-held-out in the environment, prints that draw's
  numbered listing to label instead of writing the fixture.

Each draw is seeded and takes, from the CSET records in no earlier fixture
(tests/fixtures/classify/hand.jsonl, labelled.jsonl), a fixed number of rows
matching each breadth pattern of issue 17 (current AI methods, chip and processor
design, modern biotech, inertial/magnetic/standoff sensing, quantum sensing and
sampling, satellite communication, other fields that borrow technology words)
plus random rows; v2-held-out excludes v2-dev. Labels: tools/classify-labels/
v2-dev.txt and v2-held-out.txt (line number of the listing, codes as in
build_classify_fixture.py: S A Q B C N P E R M, lower case = unsure, "-" none).
Titles written by hand from real patterns (no abstract) are in
tools/classify-labels/v2-written.tsv: split, codes, title.
"""
import gzip
import json
import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAB = os.path.join(ROOT, "tools", "classify-labels")
FIX = os.path.join(ROOT, "tests", "fixtures", "classify")
CODES = dict(S="semiconductors", A="ai", Q="quantum", B="biotech", C="connectivity",
             N="sensing", P="space", E="energy", R="robotics", M="materials")
AREAS = list(CODES.values())
TECH = r"(quantum|network|laser|viral|neural|learning|chip|transformer|satellite|drone|robot|sensor|platform|engine|power|cloud)"
PATTERNS = [
    ("ai-methods", r"transformer|generative adversarial|\bgans?\b|adversarial (example|attack|perturbation|robust)"
                   r"|batch normali|diffusion (model|probabilistic)|language model|\bclip\b|contrastive"
                   r"|graph (neural|convolutional)|knowledge distillation|neural architecture search"),
    ("chips", r"\brisc|accelerator|fpga|\basics?\b|processor|microarchitect|systolic|network on chip"
              r"|high level synthesis|verilog|in memory comput|neuromorphic|\bchips?\b"),
    ("biotech", r"antibod|directed evolution|vaccine|mrna|crispr|protein (design|engineering)|gene editing"
                r"|synthetic biology|genetic engineering|plasmid|transgenic|\bcas9"),
    ("sensing", r"gyroscope|magnetomet|acceleromet|inertial|lidar|radar|standoff|stand off|gravimet"
                r"|gradiomet|sonar|hyperspectral"),
    ("quantum", r"boson sampling|quantum (sens|metrolog|sampling|advantage|supremacy)|nitrogen vacancy"
                r"|atom interferomet|atomic clock|qubit"),
    ("satcom", r"satellite|low earth orbit|\bleo\b|spacecraft|cubesat"),
    ("borrowed", None),
]
DRAWS = {"v2-dev": (61, 8, 14), "v2-held-out": (67, 15, 25)}


def borrowed(text):
    return (re.search(r"\b(patients|clinical|policy|market|economic|social|students|firms|epidemic)", text)
            and re.search(r"\b" + TECH, text))


def draws(ref):
    cset = [json.loads(l) for l in gzip.open(os.path.join(ref, "cset-arxiv-ai-relevance.jsonl.gz"))]
    used = set()
    for f in ("hand.jsonl", "labelled.jsonl"):
        for l in open(os.path.join(FIX, f), encoding="utf-8"):
            used.add(json.loads(l)["source"].split(" ", 1)[-1])
    pool = [r for r in cset if r["arxiv_id"] not in used]
    out = {}
    for name, (seed, per, rand) in DRAWS.items():
        rng = random.Random(seed)
        picked, ids = [], set()
        for _, pat in PATTERNS:
            text = lambda r: r["title"] + " " + r["abstract"]
            m = [r for r in pool if r["arxiv_id"] not in ids
                 and (borrowed(text(r)) if pat is None else re.search(pat, text(r)))]
            for r in rng.sample(m, min(per, len(m))):
                picked.append(r)
                ids.add(r["arxiv_id"])
        rest = [r for r in pool if r["arxiv_id"] not in ids]
        for r in rng.sample(rest, rand):
            picked.append(r)
            ids.add(r["arxiv_id"])
        out[name] = picked
        pool = [r for r in pool if r["arxiv_id"] not in ids]
    return out


def row(source, title, abstract, code, split):
    pos = sorted(CODES[c] for c in code if c.isupper())
    unsure = {CODES[c.upper()] for c in code if c.islower()}
    return {"title": title, "abstract": abstract, "labels": pos,
            "scored": [a for a in AREAS if a not in unsure], "source": source,
            "rule": "hand label against the Annex (SOURCES.md)", "split": split}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    d = draws(sys.argv[1])
    if os.environ.get("LIST"):
        for i, r in enumerate(d[os.environ["LIST"]], 1):
            print(f"== {i} [{r['arxiv_id']}]\nT: {r['title']}\nA: {r['abstract'][:560]}\n")
        return
    out = []
    for name, rows in d.items():
        path = os.path.join(LAB, f"{name}.txt")
        if not os.path.exists(path):
            continue
        lab = {}
        for line in open(path):
            if line.startswith("#") or not line.strip():
                continue
            k, v = line.split()
            lab[int(k)] = "" if v == "-" else v
        assert sorted(lab) == list(range(1, len(rows) + 1)), f"{path}: every row needs a label"
        out += [row(f"cset {r['arxiv_id']}", r["title"], r["abstract"], lab[i], name)
                for i, r in enumerate(rows, 1)]
    for line in open(os.path.join(LAB, "v2-written.tsv"), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        split, code, title = line.rstrip("\n").split("\t")
        out.append(row("written", title, "", "" if code == "-" else code, split))
    with open(os.path.join(FIX, "v2.jsonl"), "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(out)} rows")


if __name__ == "__main__":
    main()
