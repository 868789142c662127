"""Related papers and mentions of the paper index on small hand-made atlases.

Every expected value is worked out from the rules in generator/site/index.py: shared values score
3 (method), 2 (task) and 1 (each tag); a similar abstract adds 4 times the share of the paper's
key-word weight the other paper holds, where a word's weight is ``ln(papers / holders) + 1``.
"""

from __future__ import annotations

import math

import pytest

from generator.site.index import CANDIDATE_CAP, KEY_WORDS, MENTION_CAP, WORD_CAP, PaperIndex
from generator.content.records import load_content

SIMILAR = ("similar abstract",)


@pytest.fixture
def build(make_content):
    """``build({"a": {...}, ...})`` writes one record per id (an llm-alignment paper titled
    ``Paper <id>`` unless its fields say otherwise), loads them and returns their PaperIndex."""

    def make(records: dict[str, dict], **options) -> PaperIndex:
        files = {f"{pid}.yaml": {"title": f"Paper {pid}", "type": "llm-alignment", **fields}
                 for pid, fields in records.items()}
        content = load_content(make_content(files))
        assert content.problems == []
        return PaperIndex(content, **options)

    return make


def related(index: PaperIndex, pid: str) -> list[tuple[str, float, tuple[str, ...]]]:
    return [(r.paper.id, r.score, r.reasons) for r in index.related[pid]]


def ids(papers) -> list[str]:
    return [p.id for p in papers]


def numbered(count: int, fields) -> dict[str, dict]:
    """Records p000, p001, ...; ``fields(i)`` gives the fields of the i-th."""
    return {f"p{i:03d}": fields(i) for i in range(count)}


# --- related papers: shared values -----------------------------------------------------------

FACETED = {
    "a": {"method": "DPO", "task": "preference alignment", "tags": ["rlhf", "dpo"]},
    "b": {"method": "dpo", "task": "human alignment", "tags": ["dpo"]},  # the task is a synonym
    "c": {"method": "KTO", "task": "preference alignment", "tags": ["dpo", "rlhf"]},
    "d": {"title": "Zeta", "year": 2020, "method": "IPO", "task": "instruction following", "tags": ["rlhf"]},
    "e": {"title": "Alpha", "year": 2024, "method": "ORPO", "task": "safety alignment", "tags": ["rlhf"]},
    "f": {"method": "SimPO", "task": "instruction following", "tags": ["safety"]},
}


def test_related_papers_come_by_score_with_their_reasons_and_ties_by_id(build):
    index = build(FACETED)
    assert related(index, "a") == [
        ("b", 6.0, ("same method: DPO", "same task: preference alignment", "shared tag: DPO")),
        ("c", 4.0, ("same task: preference alignment", "shared tags: DPO, RLHF")),
        # d and e tie; d comes first by id, although e is newer and its title sorts first
        ("d", 1.0, ("shared tag: RLHF",)),
        ("e", 1.0, ("shared tag: RLHF",)),
    ]  # f shares nothing with a
    assert related(index, "b") == [
        ("a", 6.0, ("same method: DPO", "same task: preference alignment", "shared tag: DPO")),
        ("c", 3.0, ("same task: preference alignment", "shared tag: DPO")),
    ]
    assert related(index, "f") == [("d", 2.0, ("same task: instruction following",))]
    assert all(pid not in ids(r.paper for r in rels) for pid, rels in index.related.items())


def test_related_papers_stop_at_the_limit(build):
    assert [r.paper.id for r in build(FACETED, related_limit=3).related["a"]] == ["b", "c", "d"]
    assert [r.paper.id for r in build(FACETED, related_limit=1).related["e"]] == ["a"]


def test_reasons_come_as_method_task_tags_then_abstract(build):
    same = {"method": "DPO", "task": "preference alignment", "tags": ["rlhf", "dpo"],
            "abstract": "Alpha bravo charlie."}
    index = build({"a": same, "b": same})
    # two papers hold each word: weight ln(2/2) + 1 = 1 for each, all shared: 4 * 1.0
    assert related(index, "a") == [
        ("b", 3 + 2 + 1 + 1 + 4.0,
         ("same method: DPO", "same task: preference alignment", "shared tags: DPO, RLHF", "similar abstract")),
    ]


@pytest.mark.parametrize("holders", [CANDIDATE_CAP, CANDIDATE_CAP + 1])
def test_a_value_held_by_more_than_the_cap_relates_no_papers(build, holders):
    def fields(i):
        return {"tags": ["safety", "theory"] if i < 2 else ["safety"]}

    index = build(numbered(holders, fields))
    if holders <= CANDIDATE_CAP:
        assert related(index, "p000") == [("p001", 2.0, ("shared tags: Safety, Theory",))] + [
            (f"p{i:03d}", 1.0, ("shared tag: Safety",)) for i in (2, 3, 4, 5)]
        assert ids(r.paper for r in index.related["p002"]) == ["p000", "p001", "p003", "p004", "p005"]
    else:  # safety is too common: only theory, held by two papers, still relates them
        assert related(index, "p000") == [("p001", 1.0, ("shared tag: Theory",))]
        assert related(index, "p002") == []


# --- related papers: similar abstracts --------------------------------------------------------

def test_similar_abstracts_share_three_key_words_that_two_or_more_papers_hold(build):
    index = build({
        "a": {"abstract": "The alpha and the bravo with charlie and delta: xy zz qq, 2021 2022 2023."},
        "b": {"abstract": "Alpha, BRAVO, charlie and echo."},
        "c": {"abstract": "Alpha and bravo with foxtrot and golf."},
        "d": {"abstract": "The hotel and the india with juliet and kilo: xy zz qq, 2021 2022 2023."},
    })
    # Key words of a and b: charlie (2 holders), alpha and bravo (3 holders); delta and echo,
    # held once, are not key words, so b holds all of a's key-word weight (and a all of b's).
    # Stop words ("the", "and", "with"), numbers and words of one or two letters never count:
    # a and d share three of each.
    assert related(index, "a") == [("b", 4.0, SIMILAR)]
    assert related(index, "b") == [("a", 4.0, SIMILAR)]
    assert related(index, "c") == []  # only two key words, alpha and bravo, in common
    assert related(index, "d") == []


def test_an_abstract_is_similar_when_the_other_holds_a_fifth_of_its_key_word_weight(build):
    rare = " ".join(f"word{i:02d}" for i in range(12))
    index = build({
        "a": {"abstract": f"{rare} common1 common2 common3"},
        "p": {"abstract": rare},
        "b": {"abstract": "common1 common2 common3"},
        "q": {"abstract": "common1 common2 common3"},
    })
    held_by_two, held_by_three = math.log(4 / 2) + 1, math.log(4 / 3) + 1
    a_weight = 12 * held_by_two + 3 * held_by_three
    assert 3 * held_by_three / a_weight < 0.2  # b holds too little of a's weight
    [(other, score, reasons)] = related(index, "a")
    assert (other, reasons) == ("p", SIMILAR)
    assert score == pytest.approx(4 * 12 * held_by_two / a_weight, abs=1e-6)
    # b's three key words are all in a's abstract: similar from b's side, not from a's
    assert related(index, "b") == [("a", 4.0, SIMILAR), ("q", 4.0, SIMILAR)]
    assert related(index, "p") == [("a", 4.0, SIMILAR)]


def test_only_a_papers_rarest_key_words_stand_for_it(build):
    rare = " ".join(f"key{i:02d}" for i in range(KEY_WORDS))
    index = build({
        "a": {"abstract": f"{rare} extra1 extra2 extra3"},
        "b": {"abstract": f"{rare} extra1 extra2 extra3"},
        "c": {"abstract": "extra1 extra2 extra3"},
    })
    # The extra words (held by all three) are the commonest of a's and b's words, so they fall
    # outside a's and b's key words: c shares three words with each but no key word with either.
    assert related(index, "a") == [("b", 4.0, SIMILAR)]
    assert related(index, "c") == []


@pytest.mark.parametrize("holders", [WORD_CAP, WORD_CAP + 1])
def test_words_in_more_abstracts_than_the_cap_are_not_key_words(build, holders):
    index = build(numbered(holders, lambda i: {"abstract": f"kappa omega sigma solo{i:03d}"}))
    if holders <= WORD_CAP:
        assert related(index, "p000") == [(f"p{i:03d}", 4.0, SIMILAR) for i in (1, 2, 3, 4, 5)]
    else:
        assert all(rels == [] for rels in index.related.values())


# --- mentions ---------------------------------------------------------------------------------

def mention_ids(index: PaperIndex) -> tuple[dict, dict]:
    return ({k: ids(v) for k, v in index.mentions.items()}, {k: ids(v) for k, v in index.mentioned_by.items()})


def test_a_mention_is_the_method_as_a_whole_word_in_the_same_case_in_an_abstract(build):
    index = build({
        "dpo": {"method": "DPO", "abstract": "Our method."},
        "uses": {"method": "KTO", "abstract": "We compare DPO-style training with DPO's loss."},
        "near": {"method": "ORPO", "abstract": "IPDPO, DPO2 and dpo are other words."},
        "elsewhere": {"title": "DPO revisited", "summary": "About DPO.", "abstract": "Nothing here."},
    })
    assert mention_ids(index) == ({"uses": ["dpo"]}, {"dpo": ["uses"]})


def test_which_method_names_are_looked_for(build):
    index = build({
        "lower": {"method": "minimap"},  # one lowercase word: an ordinary word, not a name
        "digit": {"method": "minimap2"},  # lowercase but with a digit: a name
        "words": {"method": "Direct Preference Optimization"},
        "gpt4": {"method": "GPT-4"},
        "generic": {"method": "Transformer"},
        "short": {"method": "C4"},  # fewer than three letters and digits
        "four": {"method": "Four Word Method Name"},
        "five": {"method": "Big Long Method Name Here"},  # more than four words
        "reader": {"abstract": "We run minimap and minimap2 against Direct-Preference Optimization, "
                               "GPT 4, a Transformer, C4, Four Word Method Name and Big Long Method Name Here; "
                               "direct preference optimization in lowercase is not the name."},
    })
    assert mention_ids(index)[0] == {"reader": ["digit", "four", "gpt4", "words"]}


def test_a_paper_mentions_neither_itself_nor_papers_of_its_own_method(build):
    index = build({
        "a": {"method": "DPO", "abstract": "DPO is ours."},
        "b": {"method": "dpo", "abstract": "We extend DPO."},  # the same method as a, in other case
        "c": {"year": 2020, "method": "KTO", "abstract": "Unlike DPO."},
        "d": {"year": 2024, "method": "PPO", "abstract": "PPO and DPO."},
        "e": {"year": 2024, "method": "PPO", "abstract": "Not named."},
        "f": {"method": "SimPO", "abstract": "Better than PPO."},
    })
    mentions, mentioned_by = mention_ids(index)
    assert mentions == {"c": ["a"], "d": ["a"], "f": ["d", "e"]}
    assert mentioned_by == {"a": ["d", "c"], "d": ["f"], "e": ["f"]}  # newest first


@pytest.mark.parametrize("mentioning", [MENTION_CAP, MENTION_CAP + 1])
def test_a_name_in_more_abstracts_than_the_cap_is_no_mention(build, mentioning):
    records = numbered(mentioning, lambda i: {"abstract": "Compared with KTO."})
    records["kto"] = {"method": "KTO"}
    index = build(records)
    if mentioning <= MENTION_CAP:
        assert ids(index.mentioned_by["kto"]) == sorted(records.keys() - {"kto"})
        assert all(ids(index.mentions[pid]) == ["kto"] for pid in records if pid != "kto")
    else:
        assert index.mentions == {} and index.mentioned_by == {}


@pytest.mark.parametrize("score, limit, expected", [
    # Equal once rounded to 6 decimals: the id decides, although "b" is higher before rounding.
    ({"b": 1.0000004, "a": 1.0, "c": 0.5}, 1, [(-1.0, "a")]),
    ({"b": 1.0000004, "a": 1.0, "c": 0.5, "d": 0.9999996}, 2, [(-1.0, "a"), (-1.0, "b")]),
    ({"a": 3.0, "b": 0.0, "c": -1.0}, 5, [(-3.0, "a")]),  # only positive scores
    ({"a": 3.0, "b": 2.0}, 0, []),
    ({f"p{i:03d}": float(i % 7) for i in range(300)}, 5,
     [(-6.0, "p006"), (-6.0, "p013"), (-6.0, "p020"), (-6.0, "p027"), (-6.0, "p034")]),
])
def test_best_scores_are_rounded_then_ordered_by_id(score, limit, expected):
    from generator.site.index import _best

    assert _best(score, limit) == expected
    # The same as sorting every candidate.
    assert expected == sorted((-round(v, 6), k) for k, v in score.items() if v > 0)[:limit]
