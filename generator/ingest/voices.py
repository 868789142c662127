"""A paper's type from several voices of evidence, each weighed as ``extraction.yaml`` says.

- **cues**: the weighted words and phrases of each type in ``taxonomy.yaml``;
- **tags**: the tags found in the paper, each voting for the types ``taxonomy.yaml`` links it to
  (a tag phrase that is also a cue of those types is heard by the cues voice only, so one word
  is not counted twice);
- **neighbours**: the curated papers whose abstracts are most similar, voting for their own types
  in proportion to their similarity.

Each voice gives every type a share between 0 and 1: its raw score for the type over its total,
or over the score at which the voice is ``full`` when its evidence is weaker than that. The
shares, weighed by each voice's weight, make the total of each type. A ``generic`` type (one
whose techniques others borrow) gives way to a type named in the title that scores at least
``specific_share`` of it; so does a ``topic`` type (one whose cues name a subject, such as
summarization) to an alignment type named in the title. The paper is ``adjacent`` when adjacent
work scores best (a tie included), or when no alignment type reaches ``min_alignment`` (its
evidence points to no sense of alignment); a close or weak decision is marked uncertain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, NamedTuple

from generator.content.models import Paper
from generator.content.similarity import AbstractSimilarity
from generator.content.taxonomy import Taxonomy
from generator.ingest.extraction import Rules

TagHits = dict[str, dict[str, int]]
"""The tags found in a paper: each tag's phrases found, with their scores."""

REVIEW_MARK = "review method, task, type and tags"
"""The words in the notes of a record the importer made and nobody has reviewed yet."""


class CuratedEvidence:
    """The curated records as evidence for a new paper's type: their abstracts and types.

    Records still marked for review (the importer's own guesses) are left out.
    """

    def __init__(self, papers: Iterable[Paper]):
        self.papers = sorted((p for p in papers if REVIEW_MARK not in (p.notes or "") and p.abstract),
                             key=lambda p: p.id)
        self.similarity = AbstractSimilarity([p.abstract for p in self.papers], min_df=1, whole=True)

    def __len__(self) -> int:
        return len(self.papers)

    def nearest(self, abstract: str | None, count: int, threshold: float) -> list[tuple[float, Paper]]:
        """The ``count`` curated papers most similar to ``abstract`` (at least ``threshold``), closest first."""
        found = self.similarity.similar_to(abstract, threshold)
        ranked = sorted(found.items(), key=lambda item: (-round(item[1], 6), self.papers[item[0]].id))
        return [(value, self.papers[bit]) for bit, value in ranked[:count]]


@dataclass
class Voice:
    """What one voice says: a share per type, its weight, and the evidence in words."""

    name: str
    weight: float
    shares: dict[str, float] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)
    named: frozenset[str] = frozenset()
    """The types this voice found named in the title."""

    def describe(self) -> str:
        """One line: the voice, its weight, its shares and its evidence."""
        shares = ", ".join(f"{t} {s:.2f}" for t, s in sorted(self.shares.items(), key=lambda x: (-x[1], x[0])) if s > 0)
        return (f"{self.name} (weight {self.weight:g}): {shares or 'silent'}"
                + (f" [{'; '.join(self.evidence)}]" if self.evidence else ""))


@dataclass
class TypeDecision:
    """The chosen type, the voices behind it, each type's total and the uncertainty note."""

    value: str
    voices: list[Voice]
    totals: dict[str, float]
    reason: str
    uncertain: str | None = None

    @property
    def summary(self) -> str:
        """The reason for the decision and each type's total, with the uncertainty note."""
        ranked = sorted(self.totals.items(), key=lambda x: (-x[1], x[0]))
        totals = ", ".join(f"{t} {s:.2f}" for t, s in ranked if s > 0) or "none"
        return f"{self.reason}; totals: {totals}" + (f" ({self.uncertain})" if self.uncertain else "")

    @property
    def because(self) -> str:
        """The decision in one line: the reason, the totals and every voice."""
        return f"{self.summary}; voices: " + "; ".join(v.describe() for v in self.voices)


def _shares(raw: dict[str, float], full: float) -> dict[str, float]:
    positive = {t: s for t, s in raw.items() if s > 0}
    total = max(sum(positive.values()), full, 1e-9)
    return {t: s / total for t, s in positive.items()}


class CueScore(NamedTuple):
    """What a type's cues found in a paper."""

    score: int
    hits: list[str]
    strongest: int
    """The weight of the strongest cue matched."""
    missing: str | None = None
    """What the paper fails to name of what the type needs (``taxonomy.yaml``'s ``needs``)."""


def cue_voice(scores: dict[str, CueScore], rules: Rules, names_alignment: bool = False) -> Voice:
    """The cues voice from each type's cue score, the cues it matched and the weight of the
    strongest. A type whose matched cues all weigh less than ``min_cue_weight`` (context words
    such as "large language models") gets no share, since they name a field, not a sense, unless
    the paper ``names_alignment``: then the field is the sense it means. A type the paper does not
    name all the needed kinds of evidence for gets no share either."""
    weight, full = rules.voice("cues")
    raw, evidence, named = {}, [], set()
    for kind, (score, hits, strongest, missing) in scores.items():
        if not score:
            continue
        context = strongest < rules.min_cue_weight and not names_alignment
        raw[kind] = 0 if context or missing else score
        if raw[kind] and any(hit.endswith("(title)") for hit in hits):
            named.add(kind)
        why = " context only" if context else f" not counted: {missing}" if missing else ""
        evidence.append(f"{kind} {score}{why} ({', '.join(hits[:5])})")
    return Voice("cues", weight, _shares(raw, full), evidence, frozenset(named))


def tag_voice(tags: TagHits, taxonomy: Taxonomy, rules: Rules) -> Voice:
    """The tags voice: each tag found votes its score for the types it belongs to, shared among
    them; its phrases that are cues of those types are left to the cues voice."""
    weight, full = rules.voice("tags")
    raw: dict[str, float] = {}
    evidence = []
    for tag_id, hits in tags.items():
        links = taxonomy.tags[tag_id].types
        if not links:
            continue
        cues = {phrase for kind in links for phrase, _ in taxonomy.types[kind].cues}
        heard = sorted(phrase for phrase in hits if phrase in cues)
        score = sum(value for phrase, value in hits.items() if phrase not in cues)
        for kind in links if score > 0 else ():
            raw[kind] = raw.get(kind, 0.0) + score / len(links)
        evidence.append(f"{tag_id} {score} -> {', '.join(links)}"
                        + (f" ({', '.join(heard)} counted as cues)" if heard else ""))
    return Voice("tags", weight, _shares(raw, full), evidence)


def neighbour_voice(abstract: str | None, curated: CuratedEvidence, rules: Rules) -> Voice:
    """The neighbours voice: the most similar curated papers vote for their types by similarity."""
    weight, full = rules.voice("neighbours")
    raw: dict[str, float] = {}
    evidence = []
    for value, paper in curated.nearest(abstract, rules.neighbours, rules.min_similarity):
        raw[paper.type] = raw.get(paper.type, 0.0) + value
        evidence.append(f"{paper.id} {value:.2f} {paper.type}")
    if not evidence:
        evidence.append(f"no curated abstract of {len(curated)} is similar")
    return Voice("neighbours", weight, _shares(raw, full), evidence)


def decide(voices: list[Voice], taxonomy: Taxonomy, rules: Rules) -> TypeDecision:
    """The type the weighed voices point to, ``adjacent`` when they point to no alignment sense."""
    weights = sum(v.weight for v in voices) or 1.0
    order = list(taxonomy.types)
    totals = {t: sum(v.weight * v.shares.get(t, 0.0) for v in voices) / weights for t in order}
    # a tie with adjacent work goes to adjacent: a sense needs evidence beyond what both share
    ranked = sorted(order, key=lambda t: (-round(totals[t], 9), not (t == "adjacent" and totals[t] > 0), order.index(t)))
    best_alignment = next(t for t in ranked if t != "adjacent")
    if totals[best_alignment] < rules.min_alignment and ranked[0] != "adjacent":
        value = "adjacent"
        reason = f"no alignment sense: best {best_alignment} {totals[best_alignment]:.2f} < {rules.min_alignment:g}"
    else:
        value = ranked[0]
        reason = f"{value} scores highest" if totals[value] > 0 else "no evidence"
        named = set().union(*(v.named for v in voices))
        if value in rules.generic or value in rules.topic:
            why = "whose techniques other types borrow" if value in rules.generic else "which names a subject, not a sense"
            for other in ranked[1:]:
                yields = other not in rules.generic or value in rules.topic
                if yields and other not in rules.topic and other != "adjacent" and other in named \
                        and totals[other] >= rules.specific_share * totals[value]:
                    reason = f"{other} is named in the title and scores at least {rules.specific_share:g} of {value}, {why}"
                    value = other
                    break
    rival = best_alignment if value == "adjacent" else next(t for t in ranked if t != value)
    uncertain = None
    close = totals[value] - totals[rival] < rules.uncertain_margin
    if close or max(totals[value], totals[rival]) < rules.uncertain_below:
        uncertain = f"type uncertain: {value} {totals[value]:.2f} against {rival} {totals[rival]:.2f}"
    return TypeDecision(value, voices, totals, reason, uncertain)
