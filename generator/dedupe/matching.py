"""Finding records that are the same paper, without ever merging two different papers.

Identifiers (arXiv id, DOI, code repository) are strong evidence as long as the titles agree;
otherwise normalized titles must score high with ``fuzz.ratio``. Vetoes keep apart pairs that
look alike but are different papers (other version numbers, conflicting identifiers, years far
apart, other volumes, issues or pages, words such as "not" or "reply" on one side only, a short
title inside a longer one, ``not_duplicates``). A title a venue prints again and again
("Editor's Comments") joins only with the same DOI or the same place in the venue; a title whose
subtitle one source dropped joins with the same first author and year; a translation in
brackets is compared as a title of its own. Candidate pairs come from blocking keys, so the
work grows with the number of records, not with the number of pairs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from rapidfuzz import fuzz

from generator.dedupe.forms import EMPTY as _EMPTY, Record as _Record, main_words, make_record
from generator.dedupe.names import families_agree
from generator.dedupe.positions import conflict, in_several_places, places_agree, recurring_keys, title_key
from generator.dedupe.rules import Rules, default_rules, load_rules, normalize_title
from generator.errors import Problem

__all__ = [
    "Match", "DuplicateGroup", "DuplicateIndex", "find_duplicates", "duplicate_problems",
    "compare_papers", "make_record", "normalize_title", "load_rules", "Rules",
]

MAX_BLOCK = 30
"""Blocks larger than this are compared with their sorted neighbours only."""
NEIGHBOURS = 5


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


def _contains(short: tuple, long: tuple) -> bool:
    n = len(short)
    return 0 < n < len(long) and any(long[i:i + n] == short for i in range(len(long) - n + 1))


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


def compare(a: _Record, b: _Record, rules: Rules, recurring: set | frozenset = _EMPTY) -> tuple[float, str, bool | None]:
    """Score, reason and verdict for a pair: the verdict is True when they are the same paper,
    False when a veto keeps them apart, and None when the evidence is too weak either way.

    ``recurring`` holds the (venue, title) keys of titles that the records compared with
    print in several places of one venue (:func:`~generator.dedupe.positions.recurring_keys`).
    A record with a translated title in brackets is compared under the title that is closest."""
    if a.alternates or b.alternates:
        forms = [(x, y) for x in (a, *a.alternates) for y in (b, *b.alternates)]
        x, y = max(forms, key=lambda pair: fuzz.ratio(pair[0].norm, pair[1].norm))
        if x is not a or y is not b:
            score, reason, same = _compare(x, y, rules, recurring)
            return score, f"{reason} (a title in brackets taken as the title)", same
    return _compare(a, b, rules, recurring)


def _compare(a: _Record, b: _Record, rules: Rules, recurring) -> tuple[float, str, bool | None]:
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
    heading = contained and short.tokens == main_words(long, rules)
    # An arXiv id names one paper, so a subtitle ("...: a survey") added in another version
    # does not make it another paper; a shared DOI may name a whole supplement, so it does.
    if a.veto_counts != b.veto_counts and not (heading and a.arxiv & b.arxiv):
        words = sorted(set(dict(a.veto_counts)) ^ set(dict(b.veto_counts)) or dict(a.veto_counts))
        return score, f"'{words[0]}' on one side only", False
    same_page = a.page and a.page == b.page
    for field in ("volume", "issue"):
        if not same_page and conflict(a, b, field):
            return score, f"different {field}s ({_fmt(getattr(a, field))} / {_fmt(getattr(b, field))})", False
    if a.page and b.page and a.page != b.page:
        return score, f"different pages ({a.page} / {b.page})", False
    shared = [f"same arXiv id {i}" for i in sorted(a.arxiv & b.arxiv)]
    shared += [f"same DOI {d}" for d in sorted(a.dois & b.dois)]
    repos = [f"same code repository {r}" for r in sorted(a.repos & b.repos)]
    if shared:
        return _by_identifier(score, shared[0], rules.identifier_title_threshold, heading)
    venues = _venues_agree(a, b)
    recurs = a.recurring or b.recurring or title_key(a) in recurring or title_key(b) in recurring
    if recurs and score >= rules.title_threshold:
        # A column, editorial or erratum: the same title names another item in every issue.
        place, why = places_agree(a, b)
        if not place or not venues:
            why = why if not place else f"different venues ({a.venue} / {b.venue})"
            return score, f"a title the venue prints again, without the same DOI or place ({why})", False
    if repos:
        return _by_identifier(score, repos[0], rules.repository_title_threshold, heading)
    if heading and len(short.tokens) >= rules.subtitle_min_words and not recurs:
        if a.year and a.year == b.year and families_agree(a.family, b.family) and venues:
            return score, f"one source drops the subtitle; same first author ({a.family}) and year ({a.year})", True
    if contained:
        return score, "a short title is contained in a longer, different one", False
    if a.families and b.families and not a.families & b.families:
        return score, "no author in common", False
    if not venues and (a.year != b.year or (a.volume and b.volume) or (a.page and b.page)):
        return score, f"different venues ({a.venue} / {b.venue})", False
    if score >= rules.title_threshold:
        what = "same normalized title" if a.norm == b.norm else f"titles {score}% alike"
        return score, f"{what}; a title the venue prints again, in the same place" if recurs else what, True
    return score, f"titles only {score}% alike", None


def _by_identifier(score: float, shared: str, needed: float, heading: bool) -> tuple[float, str, bool]:
    """The verdict for two records that share an identifier: their titles must agree too."""
    if score >= needed or heading:
        agree = "titles agree" if score >= needed else "one title is the other's main title"
        return score, f"{shared}; {agree} ({score})", True
    return score, f"{shared} but the titles differ ({score})", False


def _rarest(tokens: tuple, frequency: Counter, count: int = 2) -> list:
    words = {t for t in tokens if len(t) > 1}
    return sorted(words, key=lambda t: (frequency[t], t))[:count]


def _first_words_key(tokens) -> str:
    """The blocking key of a title's first three words."""
    return "f:" + " ".join(tokens[:3])


def _keys(record: _Record, frequency: Counter) -> list[tuple[str, str]]:
    keys = [("i", f"a:{i}") for i in record.arxiv] + [("i", f"d:{d}") for d in record.dois]
    keys += [("i", f"r:{r}") for r in record.repos]
    for form in (record, *record.alternates):
        if form.tokens:
            keys += [("t", f"t:{t}") for t in _rarest(form.tokens, frequency)]
            keys += [("t", _first_words_key(form.tokens)), ("t", "l:" + " ".join(form.tokens[-3:]))]
    return keys


def _words(record: _Record) -> set:
    """The title words of a record, its translations' included."""
    words = set(record.tokens)
    for form in record.alternates:
        words.update(form.tokens)
    return words


class DuplicateIndex:
    """Existing records, indexed by blocking keys, to check candidates against them."""

    def __init__(self, papers: Iterable, rules: Rules | None = None, make=None):
        self.rules = rules or default_rules()
        make = make or make_record
        self.records = [make(p, self.rules) for p in papers]
        self.frequency = Counter(t for r in self.records for t in _words(r))
        self.blocks: dict[str, list[int]] = defaultdict(list)
        self.identifier_keys: set[str] = set()
        for index, record in enumerate(self.records):
            self._file(index, record)
        self.recurring = recurring_keys(self.records)
        """(venue, title) keys of titles printed in several places of one venue."""

    def _file(self, index: int, record: _Record) -> None:
        for kind, key in _keys(record, self.frequency):
            self.blocks[key].append(index)
            if kind == "i":
                self.identifier_keys.add(key)

    def add(self, paper) -> None:
        """Index one more paper (e.g. one just imported), so later candidates meet it too."""
        record = make_record(paper, self.rules)
        self.frequency.update(_words(record))
        self.records.append(record)
        self._file(len(self.records) - 1, record)
        if self._recurs_with(record):
            self.recurring.add(title_key(record))

    def _recurs_with(self, record: _Record) -> bool:
        """Whether ``record`` and the indexed records of its venue and title are in several places."""
        key = title_key(record)
        if key is None:
            return False
        block = (self.records[i] for i in self.blocks.get(_first_words_key(record.tokens), ()))
        return in_several_places([r for r in block if title_key(r) == key] + [record])

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
        recurring = self.recurring | {title_key(record)} if self._recurs_with(record) else self.recurring
        seen, best = set(), None
        # Counting the candidate's own words once more would not change their order.
        for _kind, key in _keys(record, self.frequency):
            for index in self.blocks.get(key, ())[: MAX_BLOCK * 50]:
                if index in seen or self.records[index].id == record.id:
                    continue
                seen.add(index)
                score, reason, same = compare(record, self.records[index], self.rules, recurring)
                if same and (best is None or (score, best.id) > (best.score, self.records[index].id)):
                    best = Match(self.records[index].id, score, reason)
        return best


def find_duplicates(papers: Iterable, rules: Rules | None = None, make=None) -> list[DuplicateGroup]:
    """Every group of records that are one paper, sorted; no vetoed pair shares a group.

    ``make`` stands in for :func:`make_record` (same arguments, same result), e.g. to reuse
    the forms of records that did not change since an earlier check."""
    index = DuplicateIndex(papers, rules, make)
    records, rules, recurring = index.records, index.rules, index.recurring
    pairs, by_identifier = index.candidate_pairs()
    floor = min(rules.identifier_title_threshold, rules.title_threshold)
    ratio, titles, size = fuzz.ratio, [r.norm for r in records], len(records)
    translated = {i for i, r in enumerate(records) if r.alternates}
    edges = []
    verdicts: dict[int, bool | None] = {}
    for i, j in pairs:
        code = i * size + j
        if not ratio(titles[i], titles[j], score_cutoff=floor) and code not in by_identifier:
            # Still compared: a title that is the start of the other (a dropped subtitle), a translation.
            if not (titles[j].startswith(titles[i]) or titles[i].startswith(titles[j]) or i in translated or j in translated):
                continue
        score, reason, same = compare(records[i], records[j], rules, recurring)
        verdicts[code] = same
        if same:
            edges.append((-score, i, j, reason))
    return _groups(records, sorted(edges), rules, recurring, verdicts)


def _groups(records: list[_Record], edges: list, rules: Rules, recurring: set,
            verdicts: dict[int, bool | None]) -> list[DuplicateGroup]:
    """Join records along edges, strongest first, refusing any join that would put a vetoed
    pair in one group (so a chain of weak links cannot bridge a veto). ``verdicts`` holds the
    verdicts of the pairs compared already, by ``i * len(records) + j`` (``i < j``); the pairs
    compared here are added to it."""
    size = len(records)

    def vetoed(x: int, y: int) -> bool:
        code = x * size + y if x < y else y * size + x
        if code not in verdicts:
            verdicts[code] = compare(records[x], records[y], rules, recurring)[2]
        return verdicts[code] is False

    component = list(range(len(records)))
    members: dict[int, list[int]] = {}
    links: dict[int, list[tuple[float, str]]] = {}
    for negative, i, j, reason in edges:
        ci, cj = component[i], component[j]
        if ci == cj:
            continue
        left, right = members.get(ci, [i]), members.get(cj, [j])
        if any(vetoed(x, y) for x in left for y in right):
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
    pair = [make_record(a, rules), make_record(b, rules)]
    return compare(*pair, rules, recurring_keys(pair))
