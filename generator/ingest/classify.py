"""Choosing a paper's type, task and tags from its title and abstract (the method is
:mod:`generator.ingest.method`'s).

Every choice comes from data a curator edits: the weighted cues, tags and tasks in
``taxonomy.yaml``, the reading rules in ``extraction.yaml`` and, for the type, the curated
records. Each function also returns the evidence that decided it, which ``atlas ingest
--explain`` prints.
"""

from __future__ import annotations

from functools import lru_cache

from generator.content.taxonomy import Taxonomy
from generator.ingest.extraction import Rules
from generator.ingest.phrases import Choice, count, fold, names_any, phrase_score, weighed_phrases
from generator.ingest.voices import CuratedEvidence, CueScore, TagHits, TypeDecision, cue_voice, decide, neighbour_voice, tag_voice


def type_cue_scores(title: str, abstract: str | None, taxonomy: Taxonomy, rules: Rules) -> dict[str, CueScore]:
    """Each type's cue score, the cues it matched, the weight of the strongest one matched, and
    what the paper fails to name of what the type ``needs`` (its cues then do not count)."""
    t, a = fold(title), fold(abstract)
    scores = {}
    for kind in taxonomy.types.values():
        score, hits, strongest = weighed_phrases(kind.cues, t, a, rules.title_weight)
        missing = None
        if score and kind.needs and not names_any(kind.needs_joint, t, a):
            named = sum(1 for group in kind.needs if names_any(group, t, a))
            if named < kind.needs_at_least:
                missing = f"names {named} of the {kind.needs_at_least} kinds it needs"
        scores[kind.id] = CueScore(score, hits, strongest, missing)
    return scores


def names_alignment(title: str, rules: Rules) -> bool:
    """Whether the paper's title says "alignment" (one of ``rules.alignment_words``)."""
    return names_any(rules.alignment_words, fold(title))


def choose_type(title: str, abstract: str | None, taxonomy: Taxonomy, rules: Rules,
                curated: CuratedEvidence | None = None, tags: TagHits | None = None) -> TypeDecision:
    """The type the voices of evidence point to: the cues, the tags found in the paper, and,
    when ``curated`` holds records, the curated papers with the most similar abstracts.
    ``tags`` are the paper's :func:`tag_hits` when the caller has them already."""
    tags = tag_hits(title, abstract, taxonomy, rules) if tags is None else tags
    said = names_alignment(title, rules)
    voices = [cue_voice(type_cue_scores(title, abstract, taxonomy, rules), rules, said),
              tag_voice(tags, taxonomy, rules)]
    if curated is not None and len(curated):
        voices.append(neighbour_voice(abstract, curated, rules))
    return decide(voices, taxonomy, rules)

@lru_cache(maxsize=1024)
def _term_phrases(term, with_id: bool) -> tuple[tuple[str, int], ...]:
    phrases = {term.title.casefold(), *(s.casefold() for s in term.synonyms)}
    if with_id:
        phrases.add(term.id.replace("-", " "))
    return tuple((p, 1) for p in sorted(phrases))


def _term_score(term, t: str, a: str, title_weight: int, with_id: bool = True) -> int:
    return phrase_score(_term_phrases(term, with_id), t, a, title_weight)[0]


def choose_task(title: str, abstract: str | None, kind: str, taxonomy: Taxonomy, rules: Rules) -> Choice:
    """The task of the vocabulary named most (a title hit counts more) among the tasks the type
    allows; else the type's default task."""
    t, a = fold(title), fold(abstract)
    allowed = {title.casefold() for title in rules.tasks_by_type.get(kind, ())}
    terms = [term for term in taxonomy.tasks.values() if not allowed or term.title.casefold() in allowed]
    scored = [(_term_score(term, t, a, rules.title_weight), -i, term) for i, term in enumerate(terms)]
    if scored:
        score, _, term = max(scored, key=lambda s: (s[0], s[1]))
        if score >= max(rules.task_min_score, 1):
            return Choice(term.title, f"task phrases of '{term.title}' score {score}")
    default = rules.default_task.get(kind)
    return Choice(taxonomy.task_title(default) if default else None, f"default task of {kind}")


def tag_hits(title: str, abstract: str | None, taxonomy: Taxonomy, rules: Rules) -> TagHits:
    """Each tag's phrases (its title or synonyms) found in the paper, with their scores (a title
    hit counts ``title_weight``, abstract hits up to 3); tags found nowhere are left out. Both
    the type's tags voice and :func:`choose_tags` read them."""
    t, a = fold(title), fold(abstract)
    found: TagHits = {}
    for term in taxonomy.tags.values():
        hits = {}
        for phrase, _ in _term_phrases(term, False):
            if phrase in t or phrase in a:
                score = rules.title_weight * (count(phrase, t) > 0) + min(count(phrase, a), 3)
                if score:
                    hits[phrase] = score
        if hits:
            found[term.id] = hits
    return found


def tag_scores(title: str, abstract: str | None, taxonomy: Taxonomy, rules: Rules) -> dict[str, int]:
    """Each tag's score: hits of its title or synonyms (a title hit counts ``title_weight``)."""
    found = tag_hits(title, abstract, taxonomy, rules)
    return {ident: sum(found.get(ident, {}).values()) for ident in taxonomy.tags}


def choose_tags(title: str, abstract: str | None, taxonomy: Taxonomy, rules: Rules,
                tags: TagHits | None = None) -> Choice:
    """Tags whose title or synonyms occur in the title or abstract: those scoring at least
    ``tags.min_score`` (a title hit counts ``title_weight``), the ``tags.max_tags`` strongest,
    in vocabulary order. ``tags`` are the paper's :func:`tag_hits` when the caller has them."""
    order = list(taxonomy.tags)
    found = tag_hits(title, abstract, taxonomy, rules) if tags is None else tags
    scored = [(sum(found[ident].values()), ident) for ident in order if ident in found]
    kept = sorted((s for s in scored if s[0] >= max(rules.tag_min_score, 1)), key=lambda s: (-s[0], order.index(s[1])))
    kept = kept[: rules.max_tags] if rules.max_tags else kept
    tags = sorted((ident for _, ident in kept), key=order.index)
    dropped = [f"{ident} {score}" for score, ident in scored if score and ident not in tags]
    because = "scores: " + (", ".join(f"{ident} {score}" for score, ident in kept) or "none")
    return Choice(tuple(tags), because + (f"; below the bar: {', '.join(dropped)}" if dropped else ""))
