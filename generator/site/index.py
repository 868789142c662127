"""An index of papers by type, group, facet (method, task, tag) and year, with related papers.

Everything here is plain data computed once per build; the templates only read it. The work
per paper is bounded (candidate lists are capped), so the index stays fast at 10,000 papers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from generator.content.models import Content, Paper
from generator.content.similarity import KEY_WORDS, SIMILAR_ABSTRACT, WORD_CAP, AbstractSimilarity, ascii_words
from generator.content.taxonomy import Taxonomy
from generator.site.settings import Settings
from generator.text import one_line, slug

__all__ = ["KEY_WORDS", "SIMILAR_ABSTRACT", "WORD_CAP", "Facet", "FacetValue", "PaperIndex", "Relation", "paper_order"]

RELATED_LIMIT = Settings.related
"""How many related papers a paper page lists."""

CANDIDATE_CAP = 150
"""A shared value held by more papers than this is too common to relate papers by it."""

MENTION_CAP = 25
"""A method named in more abstracts than this (and 2% of all) is too generic to count as a mention."""

MENTION_WORDS = 4
"""Method names of more words than this are not looked for in abstracts."""

GENERIC_METHODS = frozenset({
    "alignment", "attention", "baseline", "benchmark", "bert", "dataset", "llm", "llms", "model",
    "rlhf", "sft", "survey", "transformer", "transformers", "gpt", "none", "other",
})
"""Method names too generic to count as a mention of one particular paper."""


@dataclass
class FacetValue:
    """One value of a facet (a method, a task or a tag) and the papers carrying it."""

    slug: str
    label: str
    description: str = ""
    papers: list[Paper] = field(default_factory=list)


@dataclass
class Facet:
    """All values of one facet, by slug; ``kind`` is ``methods``, ``tasks`` or ``tags``."""

    kind: str
    title: str
    singular: str
    values: dict[str, FacetValue] = field(default_factory=dict)
    _slug_of: dict[str, str] = field(default_factory=dict, repr=False)

    def slug_of(self, raw: str) -> str:
        """The slug of the page of a value as a record writes it."""
        return self._slug_of[_key(raw)]

    def value_of(self, raw: str) -> FacetValue:
        """The facet value a record's raw value belongs to."""
        return self.values[self.slug_of(raw)]

    def by_count(self) -> list[FacetValue]:
        """Values with the most papers first, then by label."""
        return sorted(self.values.values(), key=lambda v: (-len(v.papers), v.label.casefold(), v.slug))


@dataclass(frozen=True)
class Relation:
    """Why another paper is related to one paper."""

    paper: Paper
    score: float
    reasons: tuple[str, ...]


@lru_cache(maxsize=1 << 14)
def _key(value: str) -> str:
    return one_line(value).casefold()


def _added_number(paper: Paper) -> int:
    """The date added as a number (20261101), 0 without one."""
    return int(paper.added.replace("-", "")) if paper.added else 0


def paper_order(paper: Paper) -> tuple:
    """Listing order, newest first: year (papers without one last), then date added (newest
    first, papers without one last), then title and id."""
    return (paper.year is None, -(paper.year or 0), -_added_number(paper), paper.title.casefold(), paper.id)


def title_order(paper: Paper) -> tuple:
    """Listing order from A to Z: title (case left aside), then id."""
    return (paper.title.casefold(), paper.id)


def newest_sort_value(paper: Paper) -> str:
    """Explore's key for :func:`paper_order`, sorted descending: ``2023|2026-11-01``, with
    ``0000`` and ``0000-00-00`` for a missing year or date (last)."""
    return f"{paper.year or 0:04d}|{added_sort_value(paper)}"


def added_sort_value(paper: Paper) -> str:
    """Explore's key for the date added, sorted descending (``0000-00-00`` without one)."""
    return paper.added or "0000-00-00"


def newest_added_first(papers: list[Paper], count: int) -> list[Paper]:
    """The ``count`` papers with the latest ``added`` dates, newest first, then by title and id
    (papers without a date are left out)."""
    dated = sorted((p for p in papers if p.added), key=lambda p: (p.title.casefold(), p.id))
    return sorted(dated, key=lambda p: p.added, reverse=True)[:count]


def _facet(kind: str, title: str, singular: str, entries: list[tuple[str, str, Paper]]) -> Facet:
    """Build a facet from (raw value, label, paper) entries; equal slugs of different values get -2, -3."""
    facet = Facet(kind, title, singular)
    grouped: dict[str, list[tuple[str, Paper]]] = defaultdict(list)
    for raw, label, paper in entries:
        grouped[_key(raw)].append((label, paper))
    taken: set[str] = set()
    for key in sorted(grouped):
        items = grouped[key]
        label = Counter(lbl for lbl, _ in items).most_common()
        label = sorted(label, key=lambda pair: (-pair[1], pair[0]))[0][0]
        base = slug(key)
        value_slug, n = base, 1
        while value_slug in taken or value_slug == "index":
            n += 1
            value_slug = f"{base}-{n}"
        taken.add(value_slug)
        facet._slug_of[key] = value_slug
        papers = sorted({p.id: p for _, p in items}.values(), key=paper_order)
        facet.values[value_slug] = FacetValue(value_slug, label, "", papers)
    return facet


def _positions(words: list[str], word: str):
    """Where ``word`` stands in ``words``, first to last."""
    start = -1
    try:
        while True:
            start = words.index(word, start + 1)
            yield start
    except ValueError:
        return


def _best(score: dict[str, float], limit: int) -> list[tuple[float, str]]:
    """The ``limit`` highest positive scores as (-score, id): scores rounded to 6 decimals, so that
    float noise does not decide, then ids in order."""
    candidates = score.items()
    if len(score) > limit > 0:
        # Only scores near the limit-th highest can be among the best once rounded: the rest are
        # left out before the sort (about 220 candidates a paper at 1,000 papers, 5 kept).
        floor = sorted(score.values())[-limit] - 1e-5
        candidates = [(other, value) for other, value in candidates if value >= floor]
    return sorted((-round(value, 6), other) for other, value in candidates if value > 0)[:limit]


class PaperIndex:
    """Papers by type, group, method, task, tag and year; related papers and mentions."""

    def __init__(self, content: Content, related_limit: int = RELATED_LIMIT, relations=None):
        self.taxonomy: Taxonomy = content.taxonomy
        self.papers: list[Paper] = sorted(content.papers, key=lambda p: p.id)
        self.by_id = {p.id: p for p in self.papers}
        self.by_type: dict[str, list[Paper]] = {t: [] for t in self.taxonomy.types}
        for paper in sorted(self.papers, key=paper_order):
            self.by_type.setdefault(paper.type, []).append(paper)
        self.by_year = Counter(p.year for p in self.papers if p.year)
        titles = {task: self.taxonomy.task_title(task) for task in {p.task for p in self.papers}
                  if task and task.strip()}
        self._task = {p.id: titles[p.task] for p in self.papers if p.task and p.task.strip()}
        self.methods = _facet("methods", "Methods", "Method",
                              [(p.method, one_line(p.method), p) for p in self.papers if p.method and p.method.strip()])
        self.tasks = _facet("tasks", "Tasks", "Task",
                            [(self._task[p.id], one_line(self._task[p.id]), p) for p in self.papers if p.id in self._task])
        self.tags = self._tag_facet()
        self.facets = (self.methods, self.tasks, self.tags)
        # ``relations`` (the live preview's memory) may hand back what the same inputs gave before.
        made = relations.relations(self, related_limit) if relations is not None else self.relations(related_limit)
        self.related, self.mentions, self.mentioned_by = made

    def relation_inputs(self, limit: int) -> tuple:
        """What :meth:`relations` are made from, besides the papers' identity: equal inputs give
        equal relations (:meth:`rebound` to the papers of this index). Keep in step with
        :meth:`_features`, :meth:`_relate`, :meth:`_reasons` and :meth:`_mentions`."""
        return limit, tuple((p.id, p.method, self.task_of(p), tuple(p.tags),
                             tuple(self.tags.values[t].label for t in p.tags), p.abstract) for p in self.papers)

    def relations(self, limit: int) -> tuple[dict, dict, dict]:
        """Related papers (the ``limit`` best of each paper), mentions and mentioned-by, by id."""
        return (self._relate(limit), *self._mentions())

    def rebound(self, made: tuple[dict, dict, dict]) -> tuple[dict, dict, dict]:
        """:meth:`relations` of another index of equal :meth:`relation_inputs`, naming this
        index's papers (their other fields may differ, so mentions are sorted again)."""
        by_id = self.by_id
        related = {pid: [r if r.paper is by_id[r.paper.id] else Relation(by_id[r.paper.id], r.score, r.reasons)
                         for r in relations] for pid, relations in made[0].items()}

        def again(lists: dict[str, list[Paper]]) -> dict[str, list[Paper]]:
            return {pid: sorted((by_id[p.id] for p in papers), key=paper_order) for pid, papers in lists.items()}

        return related, again(made[1]), again(made[2])

    def _tag_facet(self) -> Facet:
        facet = Facet("tags", "Tags", "Tag")
        tagged: dict[str, list[Paper]] = defaultdict(list)
        for paper in self.papers:
            for tag_id in set(paper.tags):
                tagged[tag_id].append(paper)
        for tag_id in sorted(tagged):
            term = self.taxonomy.tags.get(tag_id)
            papers = sorted(tagged[tag_id], key=paper_order)
            facet._slug_of[_key(tag_id)] = tag_id
            facet.values[tag_id] = FacetValue(tag_id, term.title if term else tag_id,
                                              term.description if term else "", papers)
        return facet

    def task_of(self, paper: Paper) -> str | None:
        """The task as the vocabulary writes it (a synonym becomes the vocabulary's phrase)."""
        return self._task.get(paper.id)

    def groups(self, type_id: str) -> list[tuple[object, list[Paper]]]:
        """Each sub-group of a type with its papers, then ``(None, rest)`` for papers in no group."""
        papers = self.by_type.get(type_id, [])
        out, grouped = [], set()
        for group in self.taxonomy.types[type_id].groups:
            members = [p for p in papers if set(p.tags) & set(group.tags)]
            grouped.update(p.id for p in members)
            if members:
                out.append((group, members))
        rest = [p for p in papers if p.id not in grouped]
        if rest:
            out.append((None, rest))
        return out

    def recent(self, count: int) -> list[Paper]:
        """The papers added most recently (newest ``added`` first, then by title)."""
        return newest_added_first(self.papers, count)

    def _features(self, paper: Paper) -> list[tuple[str, str]]:
        out = []
        if paper.method and paper.method.strip():
            out.append(("method", self.methods.slug_of(paper.method)))
        if self.task_of(paper):
            out.append(("task", self.tasks.slug_of(self.task_of(paper))))
        out.extend(("tag", t) for t in paper.tags)
        return out

    def _relate(self, limit: int) -> dict[str, list[Relation]]:
        """For each paper, the ``limit`` papers sharing most with it, each with its reasons.

        Candidates come from shared values held by at most ``CANDIDATE_CAP`` papers and from the
        ``KEY_WORDS`` rarest words of the paper's abstract, so the work per paper is bounded.
        """
        features = {p.id: self._features(p) for p in self.papers}
        postings: dict[tuple[str, str], list[str]] = defaultdict(list)
        for paper in self.papers:
            for feature in features[paper.id]:
                postings[feature].append(paper.id)
        abstracts = AbstractSimilarity([p.abstract for p in self.papers])
        weights = {"method": 3.0, "task": 2.0, "tag": 1.0}
        related: dict[str, list[Relation]] = {}
        position = {p.id: i for i, p in enumerate(self.papers)}
        for paper in self.papers:
            own_features = [f for f in features[paper.id] if len(postings[f]) <= CANDIDATE_CAP]
            score: dict[str, float] = defaultdict(float)
            for feature in own_features:
                weight = weights[feature[0]]
                for other in postings[feature]:
                    score[other] += weight
            similar = {}
            for bit, value in abstracts.similar(position[paper.id]).items():
                other = self.papers[bit].id
                if other != paper.id:
                    similar[other] = value
                    score[other] += 4.0 * value
            score.pop(paper.id, None)
            best = _best(score, limit)
            related[paper.id] = [
                Relation(self.by_id[other], -negative, self._reasons(
                    [f for f in own_features if f in features[other]], similar.get(other, 0.0)))
                for negative, other in best
            ]
        return related

    def _reasons(self, features: list[tuple[str, str]], similarity: float) -> tuple[str, ...]:
        reasons = []
        for kind, facet in (("method", self.methods), ("task", self.tasks)):
            for k, value in features:
                if k == kind:
                    reasons.append(f"same {kind}: {facet.values[value].label}")
        tags = [self.tags.values[v].label for k, v in features if k == "tag"]
        if tags:
            reasons.append(("shared tag: " if len(tags) == 1 else "shared tags: ") + ", ".join(sorted(tags)))
        if similarity:
            reasons.append("similar abstract")
        return tuple(reasons)

    def _mentions(self) -> tuple[dict[str, list[Paper]], dict[str, list[Paper]]]:
        """Which papers' abstracts name another record's method as whole words (case-sensitive)."""
        names: dict[tuple[str, ...], list[Paper]] = defaultdict(list)
        for paper in self.papers:
            words = tuple(ascii_words(paper.method or ""))
            if not words or len(words) > MENTION_WORDS or len("".join(words)) < 3 or paper.method.strip().casefold() in GENERIC_METHODS:
                continue
            if len(words) == 1 and words[0].islower() and not any(c.isdigit() for c in words[0]):
                continue  # an ordinary lowercase word, not a name
            names[words].append(paper)
        sizes: dict[str, set[int]] = defaultdict(set)
        for name in names:
            sizes[name[0]].add(len(name))  # the lengths of the names starting with each word
        first_words = frozenset(sizes)
        found: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for paper in self.papers:
            words = ascii_words(paper.abstract or "")
            if first_words.isdisjoint(words):
                continue
            for word in first_words.intersection(words):
                for start in _positions(words, word):
                    for size in sizes[word]:
                        gram = tuple(words[start:start + size])
                        if len(gram) == size and gram in names:
                            found[gram].add(paper.id)
        cap = max(MENTION_CAP, len(self.papers) // 50)
        mentions: dict[str, set[str]] = defaultdict(set)
        mentioned_by: dict[str, set[str]] = defaultdict(set)
        for gram, mentioning in found.items():
            if len(mentioning) > cap:
                continue
            for target in names[gram]:
                own = _key(target.method)
                for pid in mentioning:
                    source = self.by_id[pid]
                    if pid == target.id or (source.method and _key(source.method) == own):
                        continue
                    mentions[pid].add(target.id)
                    mentioned_by[target.id].add(pid)

        def papers(ids: set[str]) -> list[Paper]:
            return sorted((self.by_id[i] for i in ids), key=paper_order)

        return ({k: papers(v) for k, v in mentions.items()}, {k: papers(v) for k, v in mentioned_by.items()})
