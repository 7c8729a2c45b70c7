"""Helpers the evaluation and fixture tools share: the bundled list's entries
and the lineage (an entry and its parents) used to score a hit as right."""
import csv
import math
import os

HERE = os.path.dirname(__file__)


def entries():
    """The rows of data/risk-institutions.csv."""
    path = os.path.join(HERE, "..", "data", "risk-institutions.csv")
    return list(csv.DictReader(open(path, encoding="utf-8")))


def lineage_of(rows):
    """A function: entry id -> the id and all its parents."""
    parent = {e["id"]: e["parent"] for e in rows if e["parent"]}

    def lineage(i):
        out = {i}
        while i in parent:
            i = parent[i]
            out.add(i)
        return out

    return lineage


def wilson(k, n, z=1.96):
    """Wilson 95% interval of k successes in n."""
    if n == 0:
        return (float("nan"), float("nan"))
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (c - h, c + h)
