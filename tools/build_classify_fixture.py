#!/usr/bin/env python3
"""Build tests/fixtures/classify/hand.jsonl from the hand labels in tools/classify-labels/.

Reads ../shared/reference/classifier-eval/ (CSET arXiv records, arXiv-browse records) and
the label files:
- amb.txt: arXiv-browse rows whose categories are ambiguous for the EU areas, by index in
  that subset (file order); unlisted rows are negative for all ten areas.
- cand.txt, cand2.txt: CSET rows, by line of the candidate listings, which are rebuilt
  here with the same seeds and patterns so the line numbers stay meaningful.
- recalled.tsv: real titles recalled from the literature (title only).
- second-pass.tsv: a second pass over semiconductors and quantum (Y/N/?); where it is unsure
  or disagrees with the first label, that area is not scored on the row.
Codes: S semiconductors, A ai, Q quantum, B biotech, C connectivity, N sensing, P space,
E energy, R robotics, M materials; lower case = unsure (that area is not scored on the row).
The label rules are in tests/fixtures/classify/SOURCES.md. Each row gets split dev or test
from a hash of its id, so the lexicon can be tuned on dev and reported on test.
"""
import gzip
import hashlib
import json
import os
import random
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REF = os.path.join(ROOT, "..", "shared", "reference", "classifier-eval")
LAB = os.path.join(ROOT, "tools", "classify-labels")
CODES = dict(S="semiconductors", A="ai", Q="quantum", B="biotech", C="connectivity",
             N="sensing", P="space", E="energy", R="robotics", M="materials")
AREAS = list(CODES.values())


def labels(path):
    out = {}
    for line in open(os.path.join(LAB, path)):
        if line.startswith("#") or not line.strip():
            continue
        k, v = line.split()
        out[int(k)] = "" if v == "-" else v
    return out


def labelled(rows, listing, cand, rule):
    """Rows of a search with their labels from `cand`; with the environment
    variable `listing` set, prints the numbered listing to label instead (None)."""
    if os.environ.get(listing):
        for i, r in enumerate(rows, 1):
            print(f"== {i} [cset {r['arxiv_id']}] ai={r['ai']}\nT: {r['title']}\nA: {r['abstract'][:900]}\n")
        return None
    lab = labels(cand)
    return [row(f"cset {r['arxiv_id']}", r["title"], r["abstract"], lab[i], rule)
            for i, r in enumerate(rows, 1)]


def row(source, title, abstract, code, rule):
    pos = sorted(CODES[c] for c in code if c.isupper())
    unsure = {CODES[c.upper()] for c in code if c.islower()}
    split = "dev" if int(hashlib.sha256(source.encode()).hexdigest(), 16) % 2 == 0 else "test"
    return {"title": title, "abstract": abstract, "labels": pos,
            "scored": [a for a in AREAS if a not in unsure], "source": source,
            "rule": rule, "split": split}


def main():
    out = []
    rule = "hand label against the Annex (tests/fixtures/classify/SOURCES.md)"
    browse = [json.loads(l) for l in open(os.path.join(REF, "arxiv-browse-abs-categories.jsonl"))]
    amb = [r for r in browse if r["label_quality"] == "ambiguous"]
    lab = labels("amb.txt")
    for i, r in enumerate(amb):
        out.append(row(f"arxiv-browse {r['arxiv_id']}", r["title"], r["abstract"], lab.get(i, ""), rule))

    cset = [json.loads(l) for l in gzip.open(os.path.join(REF, "cset-arxiv-ai-relevance.jsonl.gz"))]
    used = set()
    for l in open(os.path.join(ROOT, "tests", "fixtures", "classify", "labelled.jsonl")):
        used.add(json.loads(l)["source"].split(" ", 1)[1])
    pool = [r for r in cset if r["arxiv_id"] not in used]
    pats = {
        "biotech": r"\b(gene|genetic|genom|crispr|synthetic biology|protein design|transgen|plasmid|recombinant|bacteri|enzyme|metabolic)",
        "space": r"\b(satellite|spacecraft|orbit|launch|rocket|propulsion|thruster|hypersonic|scramjet|space mission|cubesat|debris|gnss|gps)",
        "energy": r"\b(solar cell|photovolta|battery|batteries|fuel cell|hydrogen|wind turbine|wind power|power grid|smart grid|reactor|tokamak|fusion|energy storage|electrolys|power system|renewable)",
        "robotics": r"\b(robot|drone|uav|unmanned|autonomous|vehicle|manipulat|locomotion|exoskeleton|swarm)",
        "sensing": r"\b(radar|lidar|sensor|detector|magnetometer|sonar|gravimet|interferomet|infrared|hyperspectral|imaging system)",
        "semiconductors": r"\b(transistor|cmos|semiconductor|chip|integrated circuit|lithograph|photonic|laser|wafer|vlsi|fpga|memristor|silicon|gan|terahertz)",
        "connectivity": r"\b(wireless|network coding|mimo|5g|6g|routing|protocol|encryption|cryptograph|attack|malware|privacy|blockchain|internet of things|iot|channel capacity|beamforming|secure)",
        "materials": r"\b(graphene|nanotube|nanoparticle|nanowire|metamaterial|ceramic|alloy|additive manufactur|3d print|composite|thin film|rare earth|2d material|nanostruct)",
    }
    random.seed(7)
    chosen, first = set(), []
    for p in pats.values():
        c = [r for r in pool if not r["ai"] and re.search(p, r["title"]) and r["arxiv_id"] not in chosen]
        for r in random.sample(c, min(30, len(c))):
            chosen.add(r["arxiv_id"])
            first.append(r)
    rnd = [r for r in pool if r["arxiv_id"] not in chosen]
    first += random.sample(rnd, 150)
    lab = labels("cand.txt")
    for i, r in enumerate(first, 1):
        out.append(row(f"cset {r['arxiv_id']}", r["title"], r["abstract"], lab.get(i, ""), rule))

    taken = chosen | {r["arxiv_id"] for r in first}
    pool2 = [r for r in pool if r["arxiv_id"] not in taken]
    pats2 = {
        "biotech": r"\b(crispr|cas9|genome editing|gene editing|synthetic biology|genetic circuit|gene circuit|gene drive|transgenic|genetically|recombinant|metabolic engineering|protein design|protein engineering|directed evolution|plasmid|gene expression|gene regulatory|dna origami|dna nanotechnology|biosensor|bioreactor|e coli|yeast)",
        "space": r"\b(satellite|spacecraft|cubesat|launch vehicle|rocket|propellant|thruster|scramjet|re entry|reentry|space debris|orbital debris|earth observation|gnss|navigation satellite|attitude control|space mission|lunar|mars rover)",
        "robotics": r"\b(robot|robots|robotic|drone|drones|uav|uavs|quadrotor|quadcopter|autonomous driving|self driving|autonomous vehicle|manipulator|grasp|legged|humanoid|exoskeleton|swarm robot)",
    }
    random.seed(11)
    second = []
    for p in pats2.values():
        c = [r for r in pool2 if re.search(p, r["title"] + " " + r["abstract"][:300])]
        second += random.sample(c, min(45, len(c)))
    lab = labels("cand2.txt")
    for i, r in enumerate(second, 1):
        # Only the labelled lines of the second search are kept: the rest of
        # it repeats the first search's negatives.
        if i in lab:
            out.append(row(f"cset {r['arxiv_id']}", r["title"], r["abstract"], lab[i], rule))

    # Third search: more positives and hard negatives for the priority areas, whose
    # precision the set measured on too few papers.
    taken |= {r["arxiv_id"] for r in second}
    pool3 = [r for r in pool2 if r["arxiv_id"] not in taken]
    pats3 = {
        "semiconductors": r"\b(transistors?|cmos|integrated circuits?|lithograph\w*|silicon photonic\w*|photonic integrated|"
                          r"laser diodes?|semiconductor lasers?|memristors?|fpgas?|vlsi|photodetectors?|modulators?|"
                          r"waveguides?|microresonators?|chips?|wafers?|spintronic\w*|field effect)\b",
        "quantum": r"\b(qubits?|quantum comput\w*|quantum key|quantum cryptograph\w*|entanglement|quantum sensing|"
                   r"quantum metrolog\w*|atomic clocks?|optical clocks?|quantum algorithms?|quantum error|quantum networks?|"
                   r"quantum memor\w*|trapped ions?|superconducting circuits?|quantum simulat\w*|quantum gates?)\b",
        "ai-hard": r"\b(neural|learning|classification|classifier|recognition|prediction|optimization|clustering)\b",
    }
    random.seed(13)
    third = []
    for area, p in pats3.items():
        c = [r for r in pool3 if re.search(p, r["title"] + " " + r["abstract"][:400])
             and (area != "ai-hard" or not r["ai"])]
        c = [r for r in c if r["arxiv_id"] not in {t["arxiv_id"] for t in third}]
        third += random.sample(c, min(40 if area != "ai-hard" else 30, len(c)))
    got = labelled(third, "LIST_THIRD", "cand3.txt", rule)
    if got is None:
        return
    out += got

    # Fourth and fifth searches: papers naming any quantum word, sampled
    # uniformly, so the quantum area meets the physics that borrows its words
    # (hard negatives): in the title, then in title or abstract, where quantum
    # words are often peripheral to the subject.
    taken |= {r["arxiv_id"] for r in third}
    pool = [r for r in pool3 if r["arxiv_id"] not in taken]
    pat = r"\b(quantum|qubits?|entangle\w*|decoherence|trapped ions?|superposition|teleportation)\b"
    for seed, n, text, listing, cand in [
        (17, 50, lambda r: r["title"], "LIST_FOURTH", "cand4.txt"),
        (19, 60, lambda r: r["title"] + " " + r["abstract"], "LIST_FIFTH", "cand5.txt"),
    ]:
        random.seed(seed)
        chosen = random.sample([r for r in pool if re.search(pat, text(r))], n)
        got = labelled(chosen, listing, cand, rule)
        if got is None:
            return
        out += got
        taken |= {r["arxiv_id"] for r in chosen}
        pool = [r for r in pool if r["arxiv_id"] not in taken]

    # Held-out searches for the priority four, each labelled before the
    # classifier was run on it. Sixth ("held-out"): device terms,
    # quantum-technology terms and any quantum word, 40 of each; its errors
    # were later read and the rules changed, so it is no longer unseen.
    pats6 = [
        r"\b(transistors?|cmos|integrated circuits?|lithograph\w*|photonic\w*|lasers?|memristors?|fpgas?|"
        r"photodetectors?|modulators?|waveguides?|chips?|semiconductors?|spintronic\w*)\b",
        r"\b(qubits?|quantum comput\w*|quantum key|quantum cryptograph\w*|entangle\w*|quantum sens\w*|"
        r"quantum metrolog\w*|quantum algorithms?|quantum error|quantum networks?|quantum memor\w*|"
        r"quantum gates?|quantum circuits?|quantum information|teleportation)\b",
        r"\b(quantum|qubits?|entangle\w*|decoherence|superposition)\b",
    ]

    def draw(pool, pats, seed, n):
        """`n` rows per pattern (title or abstract), none drawn twice."""
        random.seed(seed)
        chosen = []
        for p in pats:
            ids = {t["arxiv_id"] for t in chosen}
            c = [r for r in pool if re.search(p, r["title"] + " " + r["abstract"])
                 and r["arxiv_id"] not in ids]
            chosen += random.sample(c, n)
        return chosen

    # Seventh ("held-out-2"): drawn the same way with another seed after
    # the sixth's errors had been read and the rules changed. Eighth
    # ("held-out-3"): after held-out-2 showed semiconductors at 0.75 on 12
    # predictions, 60 more device-term rows to measure that area on a
    # larger fresh sample; measurement only, no rule is designed on it.
    # Ninth ("dev-2"): 60 more device-term rows to design on, since the dev
    # split holds no semiconductor false positive to learn from. Tenth and
    # eleventh ("held-out-4"): drawn after the rules designed on dev-2 were
    # fixed, to measure them once: 60 device-term rows and 40 naming
    # learning, neural or recognition methods. Twelfth ("dev-3") and
    # thirteenth ("held-out-5"): 60 device-term rows each, the first to
    # design the next rules on, the second drawn after they were fixed.
    pat_ai = (r"\b(learn\w*|neural|classif\w*|recogni\w*|predict\w*|artificial intelligence|"
              r"training|inference|segmentation|detection)\b")
    for pats, seed, n, listing, cand, split in [
        (pats6, 23, 40, "LIST_SIXTH", "cand6.txt", "held-out"),
        (pats6, 29, 40, "LIST_SEVENTH", "cand7.txt", "held-out-2"),
        (pats6[:1], 31, 60, "LIST_EIGHTH", "cand8.txt", "held-out-3"),
        (pats6[:1], 37, 60, "LIST_NINTH", "cand9.txt", "dev-2"),
        (pats6[:1], 41, 60, "LIST_TENTH", "cand10.txt", "held-out-4"),
        ([pat_ai], 43, 40, "LIST_ELEVENTH", "cand11.txt", "held-out-4"),
        (pats6[:1], 47, 60, "LIST_TWELFTH", "cand12.txt", "dev-3"),
        (pats6[:1], 53, 60, "LIST_THIRTEENTH", "cand13.txt", "held-out-5"),
    ]:
        chosen = draw(pool, pats, seed, n)
        got = labelled(chosen, listing, cand, rule)
        if got is None:
            return
        for r in got:
            r["split"] = split
        out += got
        taken |= {r["arxiv_id"] for r in chosen}
        pool = [r for r in pool if r["arxiv_id"] not in taken]

    for line in open(os.path.join(LAB, "recalled.tsv")):
        if line.startswith("#") or not line.strip():
            continue
        ref, code, title = line.rstrip("\n").split("\t")
        out.append(row(f"recalled: {ref}", title, "", "" if code == "-" else code,
                       "hand label, title recalled from the literature"))
    second = {}
    for line in open(os.path.join(LAB, "second-pass.tsv")):
        if line.startswith("#") or not line.strip():
            continue
        src, s, q = line.rstrip("\n").split("\t")
        second[src] = {"semiconductors": s, "quantum": q}
    seen = set()
    for r in out:
        for area, verdict in second.get(r["source"], {}).items():
            seen.add(r["source"])
            if area not in r["scored"]:
                continue
            first = area in r["labels"]
            if verdict == "?" or (verdict == "Y") != first:
                r["scored"].remove(area)
                if first:
                    r["labels"].remove(area)
    assert seen == set(second), f"second pass names unknown rows: {set(second) - seen}"
    dest = os.path.join(ROOT, "tests", "fixtures", "classify", "hand.jsonl")
    with open(dest, "w") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(out)} rows -> {dest}")


if __name__ == "__main__":
    main()
