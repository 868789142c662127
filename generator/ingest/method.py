"""The name of what a paper proposes, read from its title and abstract.

The phrases and word lists that the rules read are in ``extraction.yaml`` (``method:``).
"""

from __future__ import annotations

import re

from generator.ingest.extraction import Rules
from generator.ingest.phrases import Choice, count, fold, phrase_pattern


_ACRONYM = re.compile(r"\(([A-Za-z][\w-]*[A-Z][\w-]*)\)")


def _clean_name(name: str) -> str:
    name = re.sub(r"'s$", "", name.strip(" ,;:.\"'()[]"))
    return " ".join(name.split())[:120]


def _title_parts(title: str, rules: Rules) -> tuple[str, str] | None:
    """The title cut at its first separator (a colon, a dash): the name-like opening and the rest."""
    cuts = [(title.find(mark), mark) for mark in rules.title_separators if mark in title]
    if not cuts:
        return None
    at, mark = min(cuts)
    return title[:at].strip(), title[at + len(mark):].strip()


def is_name(token: str, rules: Rules) -> bool:
    """Whether a word reads as a coined name: a capital first, then inner capitals or digits
    ("URIAL", "LongPO", "GPT-4"), and not a compound adjective ("LLM-based")."""
    token = _clean_name(token)
    if not token[:1].isupper() or token in rules.not_names or token.rstrip("s") in rules.not_names:
        return False
    if len(re.sub(r"[^A-Za-z]", "", token)) < 2 or ("-" in token and token.rsplit("-", 1)[1].islower()):
        return False
    return any(c.isupper() for c in token[1:]) or any(c.isdigit() for c in token)


JOINING_WORDS = frozenset({"of", "with", "for", "and", "to"})
"""Small words a name written in capitals may hold ("Listen, Attend and Spell")."""


def _capitalized_run(words: list[str]) -> str | None:
    """The first run of two or more capitalized words ("Align With Purpose") that starts the
    text or follows a comma or an article, and ends the text or a clause (comma, parenthesis,
    colon): a name, not a phrase inside a sentence."""
    run: list[str] = []
    for index, word in enumerate(words):
        bare = word.strip(",;:.()")
        if run and word.startswith("("):  # "AWESOME (Aligning Word ...)": the bracket spells the name out
            return " ".join(run) if len(run) >= 2 else None
        joins = bare.lower() in JOINING_WORDS
        opens = index == 0 or words[index - 1].endswith(",") or words[index - 1].lower() in {"a", "an", "the"}
        if (bare[:1].isupper() and (run or opens)) or (run and joins and word == bare):
            run.append(bare)
            closed = word != bare or index == len(words) - 1
            if closed:
                return " ".join(run) if len(run) >= 2 and run[-1][:1].isupper() else None
        elif run:
            run = []
    return None


def _title_name(title: str, abstract: str, rules: Rules) -> str | None:
    parts = _title_parts(title, rules)
    if parts is None:
        return None
    words = parts[0].split()
    if len(words) > 1 and words[0].casefold() in {"a", "an", "the"}:
        words = words[1:]  # "The Mason-Alberta Phonetic Segmenter" names "Mason-Alberta Phonetic Segmenter"
    prefix = " ".join(words)
    if not words or len(words) > 4 or "," in prefix or prefix.casefold() in rules.generic_prefixes:
        return None
    if len(words) == 1 or any(is_name(w, rules) for w in words):
        return _clean_name(prefix)
    if len(words) <= 3 and all(w[:1].isupper() or w.isdigit() for w in words) and words[0][:1].isupper():
        return _clean_name(prefix)  # "Deep Speech 2": a version number belongs to the name
    if len(words) <= 3 and fold(prefix) in fold(abstract):
        return _clean_name(prefix)  # a lowercase coinage the abstract repeats: "Model soups"
    return None


def _sentence_after(text: str, start: int, rules: Rules) -> str:
    rest = text[start:]
    end = re.search(r"[.!?](\s|$)", rest)
    return " ".join((rest[: end.start()] if end else rest).split()[: rules.window])


_APPOSITION = re.compile(r"(?<![\w-])([A-Z][\w-]*), an? (?=[a-zA-Z])")
"""A capitalized word that a comma and an article define: "Sparrow, a dialogue agent"."""


def _name_in(window: str, rules: Rules) -> str | None:
    defined = _APPOSITION.match(window)  # "introduces Sparrow, a dialogue agent": a plain word is a name too
    if defined and defined.group(1) not in rules.not_names and defined.group(1).casefold() not in rules.not_subjects:
        return _clean_name(defined.group(1))
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


def _title_phrase(window: str, title: str, rules: Rules, named: bool = False) -> str | None:
    """A lowercase coinage that repeats the title's words: "we introduce forward attention" in
    a paper titled "Forward Attention in ...". Leading articles and plain adjectives are skipped;
    the phrase has two to five words and must occur in the title word for word, and is no name
    when a head noun follows it ("a noise-aware learning framework" describes, it does not name).
    After a naming word (``named``: "a strategy called self-consistency") one hyphenated word
    is enough."""
    words = window.split()
    while words and words[0].casefold() in rules.skip_words:
        words = words[1:]
    title_text = " " + " ".join(_title_words(title)) + " "
    best = None
    for size in range(1, min(5, len(words)) + 1):
        piece = [w.strip(",;:.()\"'") for w in words[:size]]
        if piece[-1].casefold() in rules.skip_words or not all(piece):
            break
        ends = words[size - 1] != piece[-1]  # a comma or a bracket ends the phrase
        following = "" if ends or size >= len(words) else words[size].strip(",;:.()").casefold()
        long_enough = size > 1 or (named and "-" in piece[0])
        if long_enough and " " + " ".join(piece).casefold() + " " in title_text and following not in rules.heads:
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


_SENTENCE = re.compile(r"(?:^|(?<=[.!?,])\s+)([A-Z][\w-]*(?: \d[\w.]*)?)(\s+\([^)]*\))?\s+(\w+)(?:\s+(\w+))?")


_DEFINED = re.compile(r"((?:[\w-]+ ){0,5}[\w-]+) \(([A-Z][\w-]*)\)")


def _title_acronyms(text: str, title: str, rules: Rules) -> list[tuple[int, str, str]]:
    """Acronyms the abstract defines for three or more of the title's own words: "temporal
    cycle consistency (TCC)" in "Temporal Cycle-Consistency Learning" names TCC."""
    own = {part.casefold() for part in re.split(r"[\s-]+", title.replace(":", " "))}
    found = []
    for match in _DEFINED.finditer(text):
        acronym = match.group(2)
        capitals = "".join(c for c in acronym if c.isupper())
        if len(capitals) < 3 or acronym.endswith("s") or not is_name(acronym, rules):  # "SLMs" names a kind
            continue
        words = re.split(r"[\s-]+", match.group(1))
        for start in range(len(words) - 2, -1, -1):
            spelled = words[start:]
            if [w[:1].upper() for w in spelled] == list(capitals):
                if all(w.casefold() in own for w in spelled):
                    found.append((match.start(2), acronym, f"'{' '.join(spelled)} ({acronym})' spells out title words"))
                break
    return found


def _subjects(text: str, title: str, rules: Rules) -> list[tuple[int, str, str]]:
    """Names that open a sentence as its subject: a coined name the abstract repeats and the
    title does not hold ("ChatEA brings ..."; one the title holds is what the paper builds on
    more often than not: "BERT"), which may also open a clause ("Building on this, Aligned-MTL
    removes ..."), a capitalized word that a title in sentence case writes the
    same way after its first word ("Bowtie 2 joins ..." in "... with Bowtie 2"), or a
    capitalized word the sentence defines ("Bowtie is an alignment program") that a title in
    title case does not hold ("BERT is a strong encoder" in "Sentence Embeddings from BERT")."""
    found = []
    words = [w for w in title.split()[1:] if len(w) > 3 and w[:1].isalpha()]
    sentence_case = sum(w[:1].islower() for w in words) > len(words) / 2
    matches = list(_SENTENCE.finditer(text))
    # a word opening a sentence, unless the next word is one that never follows a name ("Experimental results")
    openings = [m.group(1).split()[0] for m in matches if m.group(3).casefold() not in rules.not_subjects]
    for match in matches:
        name, verb, article = match.group(1), match.group(3), (match.group(4) or "").casefold()
        clause = text[:match.start(1)].rstrip().endswith(",")  # only a coined name may open a clause
        first = name.split()[0]
        if first.casefold() in rules.not_subjects or first.casefold() in rules.skip_words:
            continue
        defines = verb == "is" and article in {"a", "an"}
        if is_name(first, rules) and text.count(first) >= 2 and first not in title:
            why = f"'{name}' opens a sentence and recurs"
        elif _plain_name(first, openings, text, title, rules):
            why = f"'{first}' opens two sentences and is never written in lowercase"
        elif clause:
            continue
        elif sentence_case and name in title and not title.startswith(name) and first not in rules.not_names:
            why = f"'{name}' opens a sentence and is named in the title"
        elif defines and first not in rules.not_names and (sentence_case or first not in title):
            why = f"'{name} is {article} ...' defines it"
        else:
            continue
        found.append((match.start(1), _clean_name(name), why))
    return found


def _plain_name(word: str, openings: list[str], text: str, title: str, rules: Rules) -> bool:
    """Whether a plain capitalized word is a name the abstract gives its subject ("Ditto treats
    ... Ditto matches ..."): it opens two sentences or more (``openings``: the words opening a
    sentence, "Experimental results" left out), the text never writes it in lowercase, and the
    title does not hold it."""
    if not word.isalpha() or openings.count(word) < 2 or word in title or word in rules.not_names:
        return False
    return count(word, text) == 0  # the lowercase form, as whole words


_DEFINED_SUBJECT = re.compile(r"(?:^|(?<=[.!?])\s+)(?:[A-Z][\w-]* ){1,5}\(([A-Z][\w-]*)\),? (?:is|are) an? ")


def _apposition(text: str, title: str, rules: Rules) -> list[tuple[int, str, str]]:
    """Coined names that a comma and an article define: "MTransE, a translation-based embedding
    model, ..." or "train XLM-R, a Transformer ...", where the title does not hold the name (a
    name it holds is more often what the paper builds on); and a short name that a sentence
    opens with and defines: "Gradient Sign Dropout (GradDrop) is a ..."."""
    found = []
    for match in _APPOSITION.finditer(text):
        name = _clean_name(match.group(1))
        if is_name(name, rules) and name not in title:
            found.append((match.start(1), name, f"'{name}, a ...' defines it"))
    for match in _DEFINED_SUBJECT.finditer(text):  # "Gradient Sign Dropout (GradDrop) is a ..."
        if is_name(match.group(1), rules) and match.group(1) not in rules.not_names:
            found.append((match.start(1), match.group(1), f"'... ({match.group(1)}) is a ...' defines it"))
    return found


def choose_method(title: str, abstract: str | None, rules: Rules) -> Choice:
    """The name of what the paper proposes, or None for a survey or study that names nothing."""
    folded = fold(title)
    for suffix in rules.report_suffixes:
        if folded.endswith(" " + suffix) and _title_parts(title, rules) is None:
            return Choice(_clean_name(title[: len(title) - len(suffix)]), f"title ends with '{suffix}'")
    for marker in rules.no_method:
        if count(marker, folded):
            return Choice(None, f"title says '{marker}'")
    text = " ".join((abstract or "").split())
    name = _title_name(title, text, rules)
    if name:
        short = short_name(name, text, rules)
        if short and f"{name} ({short})" not in text:
            return Choice(short, f"the abstract's short name for the title prefix '{name}'")
        rest = _title_parts(title, rules)[1]
        words = [w for w in rest.split() if w[:1].isupper()]  # a title's small words are no initials
        spelled = " ".join(words[1:] if words and words[0].casefold() in {"a", "an", "the"} else words)
        short = None if any(is_name(w, rules) for w in name.split()) else short_name(spelled, text, rules)
        if short:  # "Combating Confirmation Bias: A Unified Pseudo-Labeling Framework ..." and "UPL-EA"
            return Choice(short, f"the abstract's short name for the title's '{rest}'")
        return Choice(name, "title prefix before ':'")
    lower = text.casefold()
    found: list[tuple[int, str, str]] = [*_quoted(text, rules), *_appositive(text, rules)]
    for phrase in rules.propose:
        for match in phrase_pattern(phrase).finditer(lower):
            window = _sentence_after(text, match.end(), rules)
            name = _name_in(window, rules) or _title_phrase(window, title, rules)
            if name:
                found.append((match.start(), name, f"'{phrase} ... {name}'"))
    for word in rules.naming:
        for match in phrase_pattern(word).finditer(lower):
            words = _sentence_after(text, match.end(), rules).split()
            if words and (is_name(words[0], rules) or words[0][:1].isupper()):
                name = _capitalized_run(words[:5]) or _clean_name(words[0])
            else:
                name = _title_phrase(" ".join(words), title, rules, named=True)
            if name and name not in rules.not_names:
                found.append((match.start(), name, f"'{word} {name}'"))
    subjects = _subjects(text, title, rules)
    # a coined name opening the abstract ("MolT5 is a ...") is what the paper builds
    found += [subject for subject in subjects if subject[0] == 0 and is_name(subject[1].split()[0], rules)]
    if found or (found := [*_title_acronyms(text, title, rules), *subjects, *_apposition(text, title, rules)]):
        _, name, why = min(found)
        return Choice(name, why)
    whole = _title_as_name(title, text, rules)
    if whole:
        return Choice(whole, "a short title the abstract repeats as it is written")
    return Choice(None, "no name after a propose phrase, no 'Name:' title")


def _title_as_name(title: str, text: str, rules: Rules) -> str | None:
    """A title of at most four capitalized words that the abstract repeats as it is written
    ("Listen, Attend and Spell"), or of at most three holding a coined name ("MSA Transformer"):
    the title is the name of what the paper builds."""
    words = title.split()
    if not 1 < len(words) <= 4 or not all(w[:1].isupper() or w in JOINING_WORDS for w in words):
        return None
    name = _clean_name(title)
    if len(words) <= 3 and any(is_name(w, rules) for w in words):
        return name
    return name if re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text) else None
