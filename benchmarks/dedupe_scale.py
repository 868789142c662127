"""Time and blocking recall of ``find_duplicates`` on synthetic corpora with planted duplicates.

Each corpus has N records: random titles drawn from a Zipf-like vocabulary, of which 10 % get a
planted duplicate (a change of case or punctuation, a typo, a dropped subtitle with the same
arXiv id, a British spelling, or a preprint/published pair). Printed per size:

- the time of ``find_duplicates`` (blocking, scoring, vetoes, grouping) and its candidate pairs;
- planted recall: planted pairs that end up in one group;
- blocking recall: of the pairs that scoring *all* pairs finds (``process.cdist`` with
  ``fuzz.ratio`` over all pairs, then the same vetoes), the share that blocking proposed.
  Over the threshold of all pairs is exact up to ``--exact-limit`` records; above it, a random
  sample of query records is scored against every record, and the figure says so.

    .venv/bin/python benchmarks/dedupe_scale.py [--sizes 10000 100000] [--sample 2000]

Needs numpy (rapidfuzz's cdist returns numpy arrays): it is in the ``test`` extra.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

from benchmarks.dedupe_record import DedupeRecord  # noqa: E402
from generator.dedupe.matching import DuplicateIndex, compare, find_duplicates  # noqa: E402
from generator.dedupe.rules import load_rules  # noqa: E402

BRITISH = ["optimisation", "modelling", "behaviour", "generalisation", "labelled", "colour", "centre"]
SUBTITLES = ["a survey", "theory and practice", "an empirical study", "towards robust alignment",
             "methods and benchmarks", "lessons from scale"]


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    syllables = ["al", "ign", "ment", "pre", "fer", "ence", "lan", "gu", "age", "mod", "el", "vis", "ion",
                 "tok", "en", "graph", "neur", "al", "seq", "uen", "ce", "gen", "om", "ic", "lat", "ent",
                 "con", "trast", "ive", "rew", "ard", "pol", "icy", "tra", "in", "ing", "dat", "a", "set"]
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words) + BRITISH


def _typo(rng: random.Random, title: str) -> str:
    letters = [i for i, c in enumerate(title) if c.isalpha()]
    i = rng.choice(letters)
    if rng.random() < 0.5:
        return title[:i] + title[i + 1:]
    return title[:i] + rng.choice("aeiourstln") + title[i + 1:]


def _variant(rng: random.Random, paper: DedupeRecord, new_id: str) -> DedupeRecord:
    kind = rng.randrange(6)
    title, links, year, venue = paper.title, dict(paper.links), paper.year, paper.venue
    if kind == 0:
        title = title.upper() if rng.random() < 0.5 else title.lower()
    elif kind == 1:
        title = title.replace(":", " -").replace(" ", " ", 1) + "."
    elif kind == 2:
        title = _typo(rng, title)
    elif kind == 3 and ":" in title and links:
        title = title.split(":")[0]
    elif kind == 4:
        for american, british in (("optimization", "optimisation"), ("modeling", "modelling"), ("behavior", "behaviour")):
            title = title.replace(american, british)
        title = title.replace("ization", "isation")
    else:
        venue = "arXiv" if venue != "arXiv" else "NeurIPS"
        year = (year or 2020) + rng.choice((0, 1))
    return DedupeRecord(new_id, title, links, year, venue=venue)


def corpus(size: int, seed: int = 7) -> tuple[list[DedupeRecord], set[tuple[str, str]]]:
    """``size`` records, 10 % of them planted duplicates of another record, and the planted pairs."""
    rng = random.Random(seed)
    vocabulary = _vocabulary(rng, 20000)
    weights = [1 / (rank + 10) for rank in range(len(vocabulary))]
    planted_count = size // 10
    papers, planted = [], set()
    for n in range(size - planted_count):
        words = rng.choices(vocabulary, weights, k=rng.randint(5, 12))
        if rng.random() < 0.15:
            words.insert(rng.randrange(len(words)), rng.choice(["optimization", "modeling", "behavior", "generalization"]))
        title = " ".join(words).capitalize()
        if rng.random() < 0.4:
            title += ": " + rng.choice(SUBTITLES)
        links = {"arxiv": f"https://arxiv.org/abs/{rng.randint(1501, 2412)}.{n:05d}"} if rng.random() < 0.5 else {}
        papers.append(DedupeRecord(f"p{n:06d}", title, links, rng.randint(2015, 2025),
                                    venue=rng.choice(["arXiv", "ACL", "ICML", "NeurIPS"])))
    for k in range(planted_count):
        original = rng.choice(papers[: size - planted_count])
        copy = _variant(rng, original, f"d{k:06d}")
        papers.append(copy)
        planted.add(tuple(sorted((original.id, copy.id))))
    rng.shuffle(papers)
    return papers, planted


def all_pair_matches(index: DuplicateIndex, queries: list[int]) -> set[tuple[int, int]]:
    """Pairs (query, any record) that scoring every pair accepts: cdist over the titles with
    the matcher's floor, then the matcher's own decision on the survivors."""
    records, rules = index.records, index.rules
    titles = [r.norm for r in records]
    floor = min(rules.title_threshold, rules.identifier_title_threshold)
    found = set()
    for start in range(0, len(queries), 500):
        chunk = queries[start:start + 500]
        scores = process.cdist([titles[q] for q in chunk], titles, scorer=fuzz.ratio, score_cutoff=floor,
                               workers=-1, dtype=np.uint8)
        for row, column in zip(*np.nonzero(scores)):
            q, c = chunk[row], int(column)
            if q != c and compare(records[q], records[c], rules, index.recurring)[2]:
                found.add((min(q, c), max(q, c)))
    return found


def run(size: int, exact_limit: int, sample: int) -> None:
    """Print the figures for one corpus size."""
    papers, planted = corpus(size)
    rules = load_rules(ROOT / "content")
    started, cpu = time.perf_counter(), time.process_time()
    groups = find_duplicates(papers, rules)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    grouped = {pair for g in groups for pair in _pairs(g.ids)}
    index = DuplicateIndex(papers, rules)
    candidates = set(index.candidate_pairs()[0])
    total_pairs = size * (size - 1) // 2
    print(f"{size} records: find_duplicates {seconds:.1f} s ({cpu:.1f} s of CPU), {len(candidates)} candidate pairs "
          f"({100 * len(candidates) / total_pairs:.4f} % of all pairs), {len(groups)} groups")
    print(f"  planted recall {len(planted & grouped) / len(planted):.4f} ({len(planted & grouped)} of {len(planted)} planted pairs grouped)")
    started = time.perf_counter()
    if size <= exact_limit:
        queries, how = list(range(size)), "all pairs"
    else:
        queries = sorted(random.Random(1).sample(range(size), sample))
        how = f"{sample} sampled records against all {size}"
    truth = all_pair_matches(index, queries)
    kept = truth & candidates
    print(f"  blocking recall {len(kept) / len(truth) if truth else 1:.4f} ({len(kept)} of {len(truth)} matching pairs; "
          f"{how}, scored in {time.perf_counter() - started:.1f} s)")


def _pairs(ids):
    ids = sorted(ids)
    return {(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--exact-limit", type=int, default=20000, help="score all pairs up to this size (default 20000)")
    parser.add_argument("--sample", type=int, default=2000, help="query records sampled above the limit (default 2000)")
    args = parser.parse_args(argv)
    for size in args.sizes:
        run(size, args.exact_limit, args.sample)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
