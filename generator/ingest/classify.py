"""Choosing a paper's type, method, task and tags from its title and abstract.

Every choice comes from data a curator edits: the weighted cues, tags and tasks in
``taxonomy.yaml``, the reading rules in ``extraction.yaml`` and, for the type, the curated
records. Each function also returns the evidence that decided it, which ``atlas ingest
--explain`` prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from generator.content.taxonomy import Taxonomy
from generator.ingest.extraction import Rules
from generator.ingest.voices import CuratedEvidence, TagHits, TypeDecision, cue_voice, decide, neighbour_voice, tag_voice


@dataclass(frozen=True)
class Choice:
    """A chosen value and the evidence for it, in words."""

    value: str | tuple[str, ...] | None
    because: str


@lru_cache(maxsize=4096)
def _phrase(phrase: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(phrase.casefold()) + r"(?!\w)")


@lru_cache(maxsize=4096)
def _folded(phrase: str) -> str:
    return phrase.casefold()


def count(phrase: str, text: str) -> int:
    """How often a phrase occurs in lowercase ``text`` as whole words."""
    if not phrase or _folded(phrase) not in text:
        return 0
    return len(_phrase(phrase).findall(text))


def _fold(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def weighed_phrases(phrases, title: str, abstract: str, title_weight: int) -> tuple[int, list[str], int]:
    """Score of weighted phrases (a title hit counts ``title_weight`` times, abstract hits up to
    3), the phrases that hit, and the largest weight among them."""
    total, hits, strongest = 0, [], 0
    for phrase, weight in phrases:
        folded = _folded(phrase)
        if folded not in title and folded not in abstract:
            continue  # the cheap test first: most phrases occur nowhere
        in_title = count(phrase, title) > 0
        in_abstract = min(count(phrase, abstract), 3)
        score = weight * (title_weight * in_title + in_abstract)
        if score:
            total += score
            strongest = max(strongest, weight)
            hits.append(f"{phrase} {score:+d}" + (" (title)" if in_title else ""))
    return total, hits, strongest


def phrase_score(phrases, title: str, abstract: str, title_weight: int) -> tuple[int, list[str]]:
    """Score of weighted phrases: a title hit counts ``title_weight`` times, abstract hits up to 3."""
    total, hits, _ = weighed_phrases(phrases, title, abstract, title_weight)
    return total, hits


def type_cue_scores(title: str, abstract: str | None, taxonomy: Taxonomy, rules: Rules) -> dict[str, tuple[int, list[str], int]]:
    """Each type's cue score, the cues it matched and the weight of the strongest one matched."""
    t, a = _fold(title), _fold(abstract)
    return {kind.id: weighed_phrases(kind.cues, t, a, rules.title_weight) for kind in taxonomy.types.values()}


def choose_type(title: str, abstract: str | None, taxonomy: Taxonomy, rules: Rules,
                curated: CuratedEvidence | None = None, tags: TagHits | None = None) -> TypeDecision:
    """The type the voices of evidence point to: the cues, the tags found in the paper, and,
    when ``curated`` holds records, the curated papers with the most similar abstracts.
    ``tags`` are the paper's :func:`tag_hits` when the caller has them already."""
    tags = tag_hits(title, abstract, taxonomy, rules) if tags is None else tags
    voices = [cue_voice(type_cue_scores(title, abstract, taxonomy, rules), rules),
              tag_voice(tags, taxonomy, rules)]
    if curated is not None and len(curated):
        voices.append(neighbour_voice(abstract, curated, rules))
    return decide(voices, taxonomy, rules)


_ACRONYM = re.compile(r"\(([A-Za-z][\w-]*[A-Z][\w-]*)\)")


def _clean_name(name: str) -> str:
    name = re.sub(r"'s$", "", name.strip(" ,;:.\"'()[]"))
    return " ".join(name.split())[:120]


def is_name(token: str, rules: Rules) -> bool:
    """Whether a word reads as a coined name: a capital first, then inner capitals or digits
    ("URIAL", "LongPO", "GPT-4"), and not a compound adjective ("LLM-based")."""
    token = _clean_name(token)
    if not token[:1].isupper() or token in rules.not_names or token.rstrip("s") in rules.not_names:
        return False
    if len(re.sub(r"[^A-Za-z]", "", token)) < 2 or ("-" in token and token.rsplit("-", 1)[1].islower()):
        return False
    return any(c.isupper() for c in token[1:]) or any(c.isdigit() for c in token)


def _capitalized_run(words: list[str]) -> str | None:
    """The first run of two or more capitalized words ("Align With Purpose") that starts the
    text or follows a comma or an article, and ends the text or a clause (comma, parenthesis,
    colon): a name, not a phrase inside a sentence."""
    run: list[str] = []
    for index, word in enumerate(words):
        bare = word.strip(",;:.()")
        joins = bare.lower() in {"of", "with", "for", "and", "to"}
        opens = index == 0 or words[index - 1].endswith(",") or words[index - 1].lower() in {"a", "an", "the"}
        if (bare[:1].isupper() and (run or opens)) or (run and joins and word == bare):
            run.append(bare)
            closed = word != bare or index == len(words) - 1
            if closed:
                return " ".join(run) if len(run) >= 2 and run[-1][:1].isupper() else None
        elif run:
            if words[index].startswith("("):
                return " ".join(run) if len(run) >= 2 else None
            run = []
    return None


def _title_name(title: str, rules: Rules) -> str | None:
    if ":" not in title:
        return None
    prefix = title.split(":", 1)[0].strip()
    words = prefix.split()
    if not words or len(words) > 4 or "," in prefix or prefix.casefold() in rules.generic_prefixes:
        return None
    if len(words) == 1 or any(is_name(w, rules) for w in words):
        return _clean_name(prefix)
    if len(words) <= 3 and all(w[:1].isupper() for w in words):
        return _clean_name(prefix)
    return None


def _sentence_after(text: str, start: int, rules: Rules) -> str:
    rest = text[start:]
    end = re.search(r"[.!?](\s|$)", rest)
    return " ".join((rest[: end.start()] if end else rest).split()[: rules.window])


def _name_in(window: str, rules: Rules) -> str | None:
    for expansion in rules.expansions:
        spelled = re.search(r"([\w-]+) \(" + re.escape(expansion) + r"\b", window, re.IGNORECASE)
        if spelled and spelled.group(1) not in rules.not_names:
            return spelled.group(1)
    for match in _ACRONYM.finditer(window):
        if is_name(match.group(1), rules):
            return _clean_name(match.group(1))
    for token in window.split():
        if is_name(token, rules):
            return _clean_name(token)
    return _capitalized_run(window.split())


def _initials(name: str) -> list[str]:
    return [part[0].upper() for part in re.split(r"[\s-]+", name) if part[:1].isalpha()]


def _is_subsequence(letters: str, of: list[str]) -> bool:
    rest = iter(of)
    return all(letter in rest for letter in letters)


def short_name(long_name: str, abstract: str, rules: Rules) -> str | None:
    """The short name the abstract gives a spelled-out title name: a coined word whose capitals
    abbreviate the name's words in order ("PoFT" for "Preference-Oriented Supervised
    Fine-Tuning", "DNA-ESA" for "Embed-Search-Align"). None when the title name is itself a
    coined name or has fewer than three words. (The caller keeps the spelled-out name when the
    abstract writes it with the short name in brackets after it: "Diverse Beam Search (DBS)".)"""
    initials = _initials(long_name)
    parts = re.split(r"[\s-]+", long_name)
    if len(initials) < 3 or any(is_name(part, rules) for part in parts):
        return None
    need = max(2, (len(initials) + 1) // 2)
    own = {part.casefold() for part in parts}
    for token in abstract.split():
        token = _clean_name(token)
        if not is_name(token, rules) or all(piece.casefold() in own for piece in re.split(r"[\s-]+", token)):
            continue  # the name's own words ("Reward-Augmented" of "Reward-Augmented Decoding")
        for piece in [token, *token.split("-")]:
            capitals = "".join(c for c in piece if c.isupper())
            if len(capitals) >= need and capitals[0] == initials[0] and _is_subsequence(capitals, initials):
                return token
    return None


def _title_words(title: str) -> list[str]:
    return [w.strip(",;:.()\"'").casefold() for w in title.split()]


def _title_phrase(window: str, title: str, rules: Rules) -> str | None:
    """A lowercase coinage that repeats the title's words: "we introduce forward attention" in
    a paper titled "Forward Attention in ...". Leading articles and plain adjectives are skipped;
    the phrase has two to five words and must occur in the title word for word, and is no name
    when a head noun follows it ("a noise-aware learning framework" describes, it does not name)."""
    words = window.split()
    while words and words[0].casefold() in rules.skip_words:
        words = words[1:]
    title_text = " " + " ".join(_title_words(title)) + " "
    best = None
    for size in range(2, min(5, len(words)) + 1):
        piece = [w.strip(",;:.()\"'") for w in words[:size]]
        if piece[-1].casefold() in rules.skip_words or not all(piece):
            break
        ends = words[size - 1] != piece[-1]  # a comma or a bracket ends the phrase
        following = "" if ends or size >= len(words) else words[size].strip(",;:.()").casefold()
        if " " + " ".join(piece).casefold() + " " in title_text and following not in rules.heads:
            best = " ".join(piece)
        if ends:
            break
    return best


def _quoted(text: str, rules: Rules) -> list[tuple[int, str, str]]:
    """Names coined in quotes after a word such as "new" or "so-called": a new "inverted softmax"."""
    found = []
    for word in rules.quoted_after:
        pattern = r"(?<!\w)" + re.escape(word) + r"\s+[\"\u201c]([^\"\u201d]{2,40})[\"\u201d]"
        for match in re.finditer(pattern, text, re.IGNORECASE):
            name = _clean_name(match.group(1))
            if name and len(name.split()) <= 4:
                found.append((match.start(), name, f"'{word} \"{name}\"'"))
    return found


def _appositive(text: str, rules: Rules) -> list[tuple[int, str, str]]:
    """Names set off by commas after a noun such as "approach": "Their approach, EVA, fuses"."""
    found = []
    for noun in rules.appositive:
        for match in re.finditer(r"(?<!\w)" + re.escape(noun) + r", ([^\s,]+),", text, re.IGNORECASE):
            if is_name(match.group(1), rules):
                name = _clean_name(match.group(1))
                found.append((match.start(), name, f"'{noun}, {name},'"))
    return found


def choose_method(title: str, abstract: str | None, rules: Rules) -> Choice:
    """The name of what the paper proposes, or None for a survey or study that names nothing."""
    folded = _fold(title)
    for suffix in rules.report_suffixes:
        if folded.endswith(" " + suffix) and ":" not in title:
            return Choice(_clean_name(title[: len(title) - len(suffix)]), f"title ends with '{suffix}'")
    for marker in rules.no_method:
        if count(marker, folded):
            return Choice(None, f"title says '{marker}'")
    text = " ".join((abstract or "").split())
    name = _title_name(title, rules)
    if name:
        short = short_name(name, text, rules)
        if short and f"{name} ({short})" not in text:
            return Choice(short, f"the abstract's short name for the title prefix '{name}'")
        return Choice(name, "title prefix before ':'")
    lower = text.casefold()
    found: list[tuple[int, str, str]] = [*_quoted(text, rules), *_appositive(text, rules)]
    for phrase in rules.propose:
        for match in _phrase(phrase).finditer(lower):
            window = _sentence_after(text, match.end(), rules)
            name = _name_in(window, rules) or _title_phrase(window, title, rules)
            if name:
                found.append((match.start(), name, f"'{phrase} ... {name}'"))
    for word in rules.naming:
        for match in _phrase(word).finditer(lower):
            words = _sentence_after(text, match.end(), rules).split()
            if words and (is_name(words[0], rules) or words[0][:1].isupper()):
                name = _capitalized_run(words[:5]) or _clean_name(words[0])
                if name and name not in rules.not_names:
                    found.append((match.start(), name, f"'{word} {name}'"))
    if found:
        _, name, why = min(found)
        return Choice(name, why)
    return Choice(None, "no name after a propose phrase, no 'Name:' title")


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
    t, a = _fold(title), _fold(abstract)
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
    t, a = _fold(title), _fold(abstract)
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
