"""Finding records that are the same paper, without ever merging two different papers.

Identifiers (arXiv id, DOI, code repository) are strong evidence as long as the titles agree;
otherwise normalized titles must score high with ``fuzz.ratio``. Vetoes keep apart pairs that
look alike but are different papers (other version numbers, conflicting identifiers, years far
apart, words such as "not" or "reply" on one side only, a short title inside a longer one,
``not_duplicates``). Candidate pairs come from blocking keys, so the work grows with the
number of records, not with the number of pairs.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote
from typing import Iterable

from rapidfuzz import fuzz

from generator.dedupe.rules import Rules, default_rules, load_rules, normalize_title, title_numbers
from generator.errors import Problem
from generator.content.links import arxiv_id, doi, repository

__all__ = [
    "Match", "DuplicateGroup", "DuplicateIndex", "find_duplicates", "duplicate_problems",
    "compare_papers", "normalize_title", "load_rules", "Rules",
]

MAX_BLOCK = 30
"""Blocks larger than this are compared with their sorted neighbours only."""
NEIGHBOURS = 5
_WORD = re.compile(r"[^\W\d_]{2,}")
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$")
_CODE_HOST = re.compile(r"github|gitlab|bitbucket|codeberg")
_EMPTY: frozenset = frozenset()


@dataclass(frozen=True)
class Match:
    """An existing record that a candidate duplicates."""

    id: str
    score: float
    reason: str


@dataclass(frozen=True, order=True)
class DuplicateGroup:
    """Records that are one paper: their ids (sorted), the weakest link's score, and why."""

    ids: tuple[str, ...]
    score: float
    reason: str

    def to_dict(self) -> dict:
        """The group as the JSON output writes it."""
        return {"ids": list(self.ids), "score": self.score, "reason": self.reason}


@dataclass(slots=True)
class _Record:
    """What the matcher compares of one paper."""

    id: str
    title: str
    norm: str
    tokens: tuple
    numbers: tuple
    veto_counts: tuple
    arxiv: frozenset
    dois: frozenset
    repos: frozenset
    year: int | None
    venue: str
    preprint: bool
    volume: tuple
    page: str
    author_words: frozenset
    not_duplicates: frozenset


def _numbers(value) -> tuple:
    text = str(value or "")
    if text.count("(") != text.count(")"):
        return ()  # a field cut in two by its source; it proves nothing
    return tuple(sorted({n.lstrip("0") for n in re.findall(r"\d+", text)}))


def _first_page(value) -> str:
    found = re.match(r"\s*[a-z]?(\d+)", str(value or ""), flags=re.I)
    return found.group(1).lstrip("0") if found else ""


@lru_cache(maxsize=8192)
def _venue(value: str | None, rules: Rules) -> str:
    head = re.split(r"\.\s*conference\b|:", value or "", flags=re.I)[0]
    text = normalize_title(re.sub(r"\([^)]*\)", " ", head), rules)
    return " ".join(w for w in text.split() if not w.isdigit())


def _identifiers(links: dict, rules: Rules) -> tuple[frozenset, frozenset, frozenset]:
    """The arXiv ids, publisher DOIs and code repositories named by a record's links."""
    arxivs, dois, repos = set(), set(), set()
    for url in links.values():
        lowered = url.lower()
        if "arxiv" in lowered and (found := arxiv_id(url)):
            arxivs.add(found)
        if "doi" in lowered and (found := doi(unquote(url))):
            preprint = _ARXIV_DOI.match(found)
            if preprint:
                arxivs.add(preprint.group(1))
            elif not found.startswith(rules.preprint_doi_prefixes):
                dois.add(found)
        if _CODE_HOST.search(lowered) and (found := repository(url)):
            repos.add(found)
    return frozenset(arxivs), frozenset(dois), frozenset(repos)


def make_record(paper, rules: Rules) -> _Record:
    """The comparable form of a Paper (or any object with its attributes)."""
    norm = normalize_title(paper.title, rules)
    tokens = tuple(norm.split())
    vetoed = rules.veto_words.intersection(tokens)
    counts = tuple(sorted((w, tokens.count(w)) for w in vetoed))
    links = getattr(paper, "links", None)
    arxivs, dois, repos = _identifiers(links, rules) if links else (_EMPTY, _EMPTY, _EMPTY)
    venue = _venue(getattr(paper, "venue", None), rules)
    authors = getattr(paper, "authors", None)
    volume, pages = getattr(paper, "volume", None), getattr(paper, "pages", None)
    return _Record(
        id=paper.id, title=paper.title, norm=norm, tokens=tokens, numbers=title_numbers(norm),
        veto_counts=counts, arxiv=arxivs, dois=dois, repos=repos, year=getattr(paper, "year", None),
        venue=venue, preprint=any(p in venue for p in rules.preprint_venues) if venue else False,
        volume=_numbers(volume) if volume else (), page=_first_page(pages) if pages else "",
        author_words=frozenset(w for a in authors for w in _WORD.findall(normalize_title(a, rules))) if authors else _EMPTY,
        not_duplicates=frozenset(getattr(paper, "not_duplicates", None) or ()),
    )


def _contains(short: tuple, long: tuple) -> bool:
    n = len(short)
    return 0 < n < len(long) and any(long[i:i + n] == short for i in range(len(long) - n + 1))


def _main_title(title: str, rules: Rules) -> tuple:
    """The normalized words of a title before its subtitle (a colon, question mark or dash)."""
    head = re.split(r"[:?]|\s[-\u2013\u2014]\s", title, maxsplit=1)[0]
    return tuple(normalize_title(head, rules).split())


def _venues_agree(a: _Record, b: _Record) -> bool:
    if not a.venue or not b.venue or a.preprint or b.preprint:
        return True
    short, long = sorted((a.venue.split(), b.venue.split()), key=len)
    remaining = iter(long)
    if all(any(word.startswith(s) or s.startswith(word) for word in remaining) for s in short):
        return True
    return fuzz.ratio(a.venue, b.venue) >= 85


def _fmt(values: Iterable) -> str:
    return ", ".join(sorted(values)) or "none"


def compare(a: _Record, b: _Record, rules: Rules) -> tuple[float, str, bool | None]:
    """Score, reason and verdict for a pair: the verdict is True when they are the same paper,
    False when a veto keeps them apart, and None when the evidence is too weak either way."""
    score = round(fuzz.ratio(a.norm, b.norm), 1)
    if a.id in b.not_duplicates or b.id in a.not_duplicates:
        return score, "listed in not_duplicates", False
    if a.arxiv and b.arxiv and not a.arxiv & b.arxiv:
        return score, f"different arXiv ids ({_fmt(a.arxiv)} / {_fmt(b.arxiv)})", False
    if a.dois and b.dois and not a.dois & b.dois:
        return score, f"different DOIs ({_fmt(a.dois)} / {_fmt(b.dois)})", False
    if a.year and b.year and abs(a.year - b.year) > 1:
        return score, f"years {a.year} and {b.year} are more than one apart", False
    if a.numbers != b.numbers:
        return score, f"different numbers in the titles ({_fmt(a.numbers)} / {_fmt(b.numbers)})", False
    short, long = sorted((a, b), key=lambda r: len(r.tokens))
    contained = _contains(short.tokens, long.tokens)
    heading = contained and short.tokens == _main_title(long.title, rules)
    # An arXiv id names one paper, so a subtitle ("...: a survey") added in another version
    # does not make it another paper; a shared DOI may name a whole supplement, so it does.
    if a.veto_counts != b.veto_counts and not (heading and a.arxiv & b.arxiv):
        words = sorted(set(dict(a.veto_counts)) ^ set(dict(b.veto_counts)) or dict(a.veto_counts))
        return score, f"'{words[0]}' on one side only", False
    same_page = a.page and a.page == b.page
    if a.volume and b.volume and not set(a.volume) & set(b.volume) and not same_page:
        return score, f"different volumes ({_fmt(a.volume)} / {_fmt(b.volume)})", False
    if a.page and b.page and a.page != b.page:
        return score, f"different pages ({a.page} / {b.page})", False
    shared = [f"same arXiv id {i}" for i in sorted(a.arxiv & b.arxiv)]
    shared += [f"same DOI {d}" for d in sorted(a.dois & b.dois)]
    repos = [f"same code repository {r}" for r in sorted(a.repos & b.repos)]
    if shared or repos:
        needed = rules.identifier_title_threshold if shared else rules.repository_title_threshold
        if score >= needed or heading:
            agree = "titles agree" if score >= needed else "one title is the other's main title"
            return score, f"{(shared or repos)[0]}; {agree} ({score})", True
        return score, f"{(shared or repos)[0]} but the titles differ ({score})", False
    if contained:
        return score, "a short title is contained in a longer, different one", False
    if a.author_words and b.author_words and not a.author_words & b.author_words:
        return score, "no author in common", False
    if not _venues_agree(a, b) and (a.year != b.year or (a.volume and b.volume) or (a.page and b.page)):
        return score, f"different venues ({a.venue} / {b.venue})", False
    if score >= rules.title_threshold:
        what = "same normalized title" if a.norm == b.norm else f"titles {score}% alike"
        return score, what, True
    return score, f"titles only {score}% alike", None


def _rarest(tokens: tuple, frequency: Counter, count: int = 2) -> list:
    words = {t for t in tokens if len(t) > 1}
    return sorted(words, key=lambda t: (frequency[t], t))[:count]


def _keys(record: _Record, frequency: Counter) -> list[tuple[str, str]]:
    keys = [("i", f"a:{i}") for i in record.arxiv] + [("i", f"d:{d}") for d in record.dois]
    keys += [("i", f"r:{r}") for r in record.repos]
    if record.tokens:
        keys += [("t", f"t:{t}") for t in _rarest(record.tokens, frequency)]
        keys += [("t", "f:" + " ".join(record.tokens[:3])), ("t", "l:" + " ".join(record.tokens[-3:]))]
    return keys


class DuplicateIndex:
    """Existing records, indexed by blocking keys, to check candidates against them."""

    def __init__(self, papers: Iterable, rules: Rules | None = None, make=None):
        self.rules = rules or default_rules()
        make = make or make_record
        self.records = [make(p, self.rules) for p in papers]
        self.frequency = Counter(t for r in self.records for t in set(r.tokens))
        self.blocks: dict[str, list[int]] = defaultdict(list)
        self.identifier_keys: set[str] = set()
        for index, record in enumerate(self.records):
            self._file(index, record)

    def _file(self, index: int, record: _Record) -> None:
        for kind, key in _keys(record, self.frequency):
            self.blocks[key].append(index)
            if kind == "i":
                self.identifier_keys.add(key)

    def add(self, paper) -> None:
        """Index one more paper (e.g. one just imported), so later candidates meet it too."""
        record = make_record(paper, self.rules)
        self.frequency.update(set(record.tokens))
        self.records.append(record)
        self._file(len(self.records) - 1, record)

    def candidate_pairs(self) -> tuple[list[tuple[int, int]], set[int]]:
        """Pairs of record positions worth comparing (every pair sharing an identifier or a
        small title block, and sorted neighbours within large title blocks), and the pairs
        sharing an identifier, encoded as ``i * len(records) + j``."""
        size = len(self.records)
        pairs: set[int] = set()
        by_identifier: set[int] = set()
        for key, members in self.blocks.items():
            if len(members) < 2:
                continue
            if key in self.identifier_keys or len(members) <= MAX_BLOCK:
                found = {m * size + n for k, m in enumerate(members) for n in members[k + 1:]}
                if key in self.identifier_keys:
                    by_identifier |= found
                pairs |= found
                continue
            ordered = sorted(members, key=lambda m: self.records[m].norm)
            for k, m in enumerate(ordered):
                for n in ordered[k + 1:k + 1 + NEIGHBOURS]:
                    pairs.add(m * size + n if m < n else n * size + m)
        return [divmod(code, size) for code in sorted(pairs)], by_identifier

    def match(self, paper) -> Match | None:
        """The existing record that ``paper`` duplicates (the best scoring), or None."""
        record = make_record(paper, self.rules)
        seen, best = set(), None
        # Counting the candidate's own words once more would not change their order.
        for _kind, key in _keys(record, self.frequency):
            for index in self.blocks.get(key, ())[: MAX_BLOCK * 50]:
                if index in seen or self.records[index].id == record.id:
                    continue
                seen.add(index)
                score, reason, same = compare(record, self.records[index], self.rules)
                if same and (best is None or (score, best.id) > (best.score, self.records[index].id)):
                    best = Match(self.records[index].id, score, reason)
        return best


def find_duplicates(papers: Iterable, rules: Rules | None = None, make=None) -> list[DuplicateGroup]:
    """Every group of records that are one paper, sorted; no vetoed pair shares a group.

    ``make`` stands in for :func:`make_record` (same arguments, same result), e.g. to reuse
    the forms of records that did not change since an earlier check."""
    index = DuplicateIndex(papers, rules, make)
    records, rules = index.records, index.rules
    pairs, by_identifier = index.candidate_pairs()
    floor = min(rules.identifier_title_threshold, rules.title_threshold)
    ratio, titles, size = fuzz.ratio, [r.norm for r in records], len(records)
    edges = []
    for i, j in pairs:
        if not ratio(titles[i], titles[j], score_cutoff=floor) and i * size + j not in by_identifier:
            continue
        score, reason, same = compare(records[i], records[j], rules)
        if same:
            edges.append((-score, i, j, reason))
    return _groups(records, sorted(edges), rules)


def _groups(records: list[_Record], edges: list, rules: Rules) -> list[DuplicateGroup]:
    """Join records along edges, strongest first, refusing any join that would put a vetoed
    pair in one group (so a chain of weak links cannot bridge a veto)."""
    component = list(range(len(records)))
    members: dict[int, list[int]] = {}
    links: dict[int, list[tuple[float, str]]] = {}
    for negative, i, j, reason in edges:
        ci, cj = component[i], component[j]
        if ci == cj:
            continue
        left, right = members.get(ci, [i]), members.get(cj, [j])
        if any(compare(records[x], records[y], rules)[2] is False for x in left for y in right):
            continue
        if len(left) < len(right):
            ci, cj, left, right = cj, ci, right, left
        for m in right:
            component[m] = ci
        members[ci] = left + right
        links[ci] = links.get(ci, []) + links.pop(cj, []) + [(-negative, reason)]
        members.pop(cj, None)
    groups = []
    for root, group in members.items():
        weakest = min(links[root])
        reasons = sorted({r for _, r in links[root]}, key=lambda r: (r != weakest[1], r))
        groups.append(DuplicateGroup(tuple(sorted(records[m].id for m in group)), weakest[0], "; ".join(reasons)))
    return sorted(groups)


def duplicate_problems(content, only=None, make=None) -> list[Problem]:
    """One problem for each record (of ``only``, when given) that duplicates another record,
    at the line of its title, naming the other file, the score and the reason (``make``: as
    for :func:`find_duplicates`)."""
    papers = sorted(content.papers, key=lambda p: p.id)
    by_id = {p.id: p for p in papers}
    wanted = None if only is None else {Path(p).resolve() for p in only}
    problems = []
    for group in find_duplicates(papers, load_rules(content.root), make):
        for paper_id in group.ids:
            paper = by_id[paper_id]
            if wanted is not None and Path(paper.source).resolve() not in wanted:
                continue
            others = ", ".join(by_id[o].source for o in group.ids if o != paper_id)
            problems.append(Problem(paper.source, paper.line("title"), "title",
                                    f"duplicates {others} (score {group.score}: {group.reason}); "
                                    "if they are different papers, list the other id in not_duplicates"))
    return problems



def compare_papers(a, b, rules: Rules | None = None) -> tuple[float, str, bool | None]:
    """Compare two papers: ``(score, reason, verdict)``, the verdict being True for the same
    paper, False for a veto and None when the evidence is too weak either way."""
    rules = rules or default_rules()
    return compare(make_record(a, rules), make_record(b, rules), rules)
