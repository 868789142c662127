"""Write a synthetic content folder of N paper records, for benchmarks only (never committed).

    python benchmarks/make_corpus.py --count 5000 --out benchmarks/out/corpus-5000

The records look like real ones in size and shape: titles of 6-20 words, abstracts of 150-300
words, a summary, 0-5 tags from the shipped vocabulary, 0-4 links of several kinds, all eight
types, methods and tasks that repeat as they do in the literature (a few methods have hundreds of
papers, most have one or two), years and dates added. The same seed gives the same files.

Identifiers cannot collide with real papers: arXiv ids use the 99MM.NNNNN form (the new-style
scheme began in 2007, so no such id exists), DOIs use the 10.5555 test prefix and other links
point at example.org. Titles and abstracts come from a made-up vocabulary, so no two records are
accidental duplicates of each other.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.content.fmt import canonical_data, schema_line  # noqa: E402
from generator.content.taxonomy import load_taxonomy  # noqa: E402
from generator.content.yamlwrite import dump  # noqa: E402

TYPE_SHARES = {
    "llm-alignment": 40, "multimodal-alignment": 15, "sequence-alignment": 9, "entity-alignment": 8,
    "cross-lingual-alignment": 9, "speech-alignment": 6, "gradient-alignment": 5, "adjacent": 8,
}
"""Relative share of each type, roughly as alignment listings have them."""

TASKS_OF_TYPE = {
    "llm-alignment": ["preference-alignment", "instruction-following", "alignment-data-curation",
                      "safety-alignment", "reasoning", "supervised-fine-tuning"],
    "multimodal-alignment": ["image-text-retrieval", "text-molecule-retrieval", "image-captioning",
                             "preference-alignment"],
    "sequence-alignment": ["read-alignment"],
    "entity-alignment": ["entity-alignment"],
    "cross-lingual-alignment": ["machine-translation"],
    "speech-alignment": ["speech-recognition"],
    "gradient-alignment": ["data-mixing", "supervised-fine-tuning"],
    "adjacent": ["decoding", "summarization", "literature-organization", "llm-evaluation"],
}

COMMON_WORDS = (
    "the of and a to in for with on we that by is this from as our an are which model models "
    "learning method methods approach results show data training large language performance "
    "propose based using task tasks between two new can these across both while more than "
    "evaluate improves existing framework without through when it its each such study also "
    "benchmark benchmarks experiments demonstrate outperforms state-of-the-art baseline baselines "
    "alignment aligned aligning representation representations objective loss signal signals "
    "feedback preference preferences human reward policy fine-tuning pretrained evaluation "
    "quality robust efficient scalable simple effective accuracy errors noise noisy structure"
).split()

SYLLABLES = ("ka ri to mo ne sa lu vi de pa zo qui tre bla fen gor hal jun kel mar nor "
             "pel ros sil tam ul ven wex yar zen ap ed ik om us").split()

VENUES = ("NeurIPS", "ICML", "ICLR", "ACL", "EMNLP", "NAACL", "CVPR", "ICCV", "AAAI", "KDD",
          "Bioinformatics", "Nature Methods", "Interspeech", "TACL", "arXiv")

FIRST = ("Ana Bo Chen Dara Eli Fatima Gus Hana Ivo Jin Kofi Lena Mei Nils Omar Priya Quinn Rosa "
         "Sven Tomas Uma Vera Wen Xia Yusuf Zoe").split()


class CorpusMaker:
    """Draws records from one seeded random generator, so a seed always gives the same corpus."""

    def __init__(self, seed: int, taxonomy):
        self.rng = random.Random(seed)
        self.taxonomy = taxonomy
        self.tags = sorted(taxonomy.tags)
        self.vocabulary = self._pseudo_words(4000)
        self.surnames = [w.capitalize() for w in self._pseudo_words(3000)]
        self.methods: dict[str, list[str]] = {}
        self.seen_titles: set[str] = set()

    def _pseudo_words(self, count: int) -> list[str]:
        words: set[str] = set()
        while len(words) < count:
            words.add("".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 4))))
        ordered = sorted(words)
        self.rng.shuffle(ordered)  # frequency must not follow the alphabet
        return ordered

    def _zipf_index(self, size: int, exponent: float = 1.1) -> int:
        """An index in [0, size) drawn so low indices are far more frequent (Zipf-like)."""
        u = self.rng.random()
        return min(size - 1, int(size ** (u ** exponent)) - 1)

    def _word(self) -> str:
        if self.rng.random() < 0.45:
            return COMMON_WORDS[self._zipf_index(len(COMMON_WORDS))]
        return self.vocabulary[self._zipf_index(len(self.vocabulary), 0.8)]

    def _method(self, type_id: str, count: int) -> str:
        """A method name; each type has its own pool, reused in a Zipf-like way."""
        pool = self.methods.setdefault(type_id, [])
        size = max(8, count // 6)
        while len(pool) < size:
            stem = self.rng.choice(self.vocabulary)[:6]
            suffix = self.rng.choice(["PO", "RM", "Align", "Net", "-LM", "Former", "Map", "CTC", "Bench", ""])
            name = stem.capitalize() + suffix + (str(self.rng.randint(2, 9)) if self.rng.random() < 0.2 else "")
            if name not in pool:
                pool.append(name)
        return pool[self._zipf_index(len(pool), 0.9)]

    def _sentence(self, low: int, high: int) -> str:
        words = [self._word() for _ in range(self.rng.randint(low, high))]
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def _text(self, low: int, high: int, extra: str | None = None) -> str:
        target = self.rng.randint(low, high)
        sentences, words = [], 0
        while words < target:
            sentence = self._sentence(10, 28)
            sentences.append(sentence)
            words += sentence.count(" ") + 1
        if extra:
            sentences.insert(self.rng.randint(0, len(sentences)), extra)
        return " ".join(sentences)

    def _title(self, method: str) -> str:
        while True:
            words = [self._word() for _ in range(self.rng.randint(5, 18))]
            body = " ".join(w if i else w.capitalize() for i, w in enumerate(words))
            title = f"{method}: {body}" if self.rng.random() < 0.5 else body + f" with {method}"
            if title.lower() not in self.seen_titles:
                self.seen_titles.add(title.lower())
                return title

    def _links(self, number: int, method: str) -> dict:
        kinds = ["arxiv", "code", "doi", "paper", "project", "dataset", "model", "demo"]
        chosen = self.rng.sample(kinds[:4], min(number, 4)) if number else []
        if number and self.rng.random() < 0.2:
            chosen[-1] = self.rng.choice(kinds[4:])
        links = {}
        for kind in chosen:
            if kind == "arxiv":
                links[kind] = f"https://arxiv.org/abs/99{self.rng.randint(1, 12):02d}.{number_id(self.rng)}"
            elif kind == "doi":
                links[kind] = f"https://doi.org/10.5555/atlas-synthetic.{number_id(self.rng)}"
            elif kind == "code":
                links[kind] = f"https://code.example.org/{method.lower()}-{number_id(self.rng)}"
            else:
                links[kind] = f"https://{kind}.example.org/{number_id(self.rng)}"
        return links

    def record(self, index: int, count: int, mentionable: list[str]) -> tuple[str, dict]:
        """The id and fields of record number ``index`` of ``count``."""
        rng = self.rng
        type_id = rng.choices(list(TYPE_SHARES), weights=list(TYPE_SHARES.values()))[0]
        method = self._method(type_id, count)
        groups_tags = sorted({t for g in self.taxonomy.types[type_id].groups for t in g.tags})
        tags = set(rng.sample(groups_tags, min(len(groups_tags), rng.randint(0, 3))))
        while len(tags) < rng.randint(0, 5):
            tags.add(rng.choice(self.tags))
        mention = None
        if mentionable and rng.random() < 0.2:
            mention = f"We compare with {rng.choice(mentionable)} on the same data."
        year = rng.choices(range(2012, 2027), weights=[1, 1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 10, 14, 18, 20])[0]
        data = {
            "title": self._title(method),
            "type": type_id,
            "abstract": self._text(150, 300, mention),
            "summary": self._text(20, 45),
            "method": method,
            "task": self.taxonomy.tasks[rng.choice(TASKS_OF_TYPE[type_id])].title,
            "tags": sorted(tags),
            "links": self._links(rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4]), method),
            "year": year,
            "authors": [f"{rng.choice(FIRST)} {rng.choice(self.surnames)}" for _ in range(rng.randint(1, 8))],
            "venue": rng.choice(VENUES) if rng.random() < 0.7 else None,
            "added": f"{rng.randint(max(year, 2023), 2026)}-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}",
        }
        record_id = f"{method.lower().replace('-', '')}-{index:05d}"
        return record_id, {k: v for k, v in data.items() if v not in (None, [], {})}


def number_id(rng: random.Random) -> str:
    """A five-digit number for a synthetic identifier."""
    return f"{rng.randint(0, 99999):05d}"


def make_corpus(out: Path, count: int, seed: int = 1) -> Path:
    """Write ``count`` records, the shipped taxonomy and duplicate rules into ``out`` (replaced if it exists)."""
    if out.exists():
        shutil.rmtree(out)
    papers = out / "papers"
    papers.mkdir(parents=True)
    for name in ("taxonomy.yaml", "dedupe.yaml"):
        if (ROOT / "content" / name).is_file():
            shutil.copy(ROOT / "content" / name, out / name)
    maker = CorpusMaker(seed, load_taxonomy(out))
    methods: list[str] = []
    for index in range(count):
        record_id, data = maker.record(index, count, methods)
        path = papers / f"{record_id}.yaml"
        path.write_text(dump(canonical_data(data), header=schema_line(path)), "utf-8")
        if data["method"] not in methods:
            methods.append(data["method"])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="number of records (default: 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument("--out", type=Path, help="content folder to write (default: benchmarks/out/corpus-<count>)")
    args = parser.parse_args(argv)
    out = args.out or ROOT / "benchmarks" / "out" / f"corpus-{args.count}"
    make_corpus(out, args.count, args.seed)
    print(f"wrote {args.count} records to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
