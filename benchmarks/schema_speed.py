"""How fast the record schema is checked: jsonschema, the compiled check and fastjsonschema.

    python benchmarks/schema_speed.py                      # the shipped records x 200
    python benchmarks/schema_speed.py --corpus DIR         # and the records of a corpus folder

``atlas validate`` asks one yes-or-no question of every record before it asks jsonschema for the
errors of the few that fail. This measures that question three ways on the same records, after
the same reading (the strict YAML reader, empty optional fields dropped):

- jsonschema's ``is_valid`` (draft 2020-12, ``pattern`` read as JSON Schema reads it);
- ``generator.content.schema_check``, the schema compiled to Python functions;
- fastjsonschema (``pip install fastjsonschema``), which implements drafts 4, 6 and 7 only. In
  draft 7 a ``$ref`` overrides the keywords beside it, so the record schema is given to it with
  every such ``$ref`` moved into an ``allOf`` (as written, the schema would lose its limits on
  the abstract, summary and the other one-line fields: the run counts those wrong verdicts too).

It prints the time of each (best of --repeat runs), the time to compile, and how often each
disagrees with jsonschema on the records and on broken copies of them.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.content.models import record_schema  # noqa: E402
from generator.content.records import _drop_empty_optionals  # noqa: E402
from generator.content.schema_check import compile_schema  # noqa: E402
from generator.content.schemas import Validator  # noqa: E402
from generator.content.yamlio import YamlError, read_file  # noqa: E402


def records(folder: Path) -> list[dict]:
    """The records of a papers folder as check_record passes them to the schema."""
    out = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = read_file(path).data
        except YamlError:
            continue
        if isinstance(data, dict):
            out.append(_drop_empty_optionals(data))
    return out


def draft7(schema):
    """The schema as draft 7 reads it the same way: a ``$ref`` with keywords beside it becomes
    ``allOf: [{$ref}, {the other keywords}]``, and ``$schema`` names draft 7."""
    if isinstance(schema, list):
        return [draft7(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: draft7(v) for k, v in schema.items()}
    if "$schema" in out:
        out["$schema"] = "http://json-schema.org/draft-07/schema#"
    if "$ref" in out and len(out) > 1:
        ref = out.pop("$ref")
        others = {k: v for k, v in out.items() if k not in ("description", "title", "$defs", "$schema", "$id")}
        kept = {k: v for k, v in out.items() if k not in others}
        out = {**kept, "allOf": [{"$ref": ref}, others]}
    return out


def broken(data: list[dict]) -> list[dict]:
    """Copies of the records each broken one way: a field too long, a control character, an
    unknown key, a required field missing, a tag of the wrong form, a year out of range."""
    out = []
    for i, record in enumerate(data):
        for change in range(6):
            bad = copy.deepcopy(record)
            if change == 0:
                bad["abstract"] = "word " * 5000
            elif change == 1:
                bad["method"] = "A\u202eB"
            elif change == 2:
                bad["colour"] = "blue"
            elif change == 3:
                bad.pop("title", None)
            elif change == 4:
                bad["tags"] = ["Not A Tag"]
            else:
                bad["year"] = 1200 + i
            out.append(bad)
    return out


def best(check, data: list[dict], repeat: int) -> float:
    """The best time of ``repeat`` runs of ``check`` over ``data``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for value in data:
            check(value)
        times.append(time.perf_counter() - start)
    return min(times)


def checkers(schema: dict) -> dict:
    """Each way of asking "valid?", with its compile time."""
    import fastjsonschema

    made = {}
    start = time.perf_counter()
    slow = Validator(schema)
    made["jsonschema"] = (slow.is_valid, time.perf_counter() - start)
    start = time.perf_counter()
    made["schema_check"] = (compile_schema(schema), time.perf_counter() - start)
    for name, given in (("fastjsonschema", draft7(schema)), ("fastjsonschema, schema as written", schema)):
        start = time.perf_counter()
        validate = fastjsonschema.compile(given)
        made[name] = (_verdict(validate), time.perf_counter() - start)
    return made


def _verdict(validate):
    import fastjsonschema

    def is_valid(value) -> bool:
        try:
            validate(value)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return True

    return is_valid


def report(label: str, data: list[dict], made: dict, repeat: int) -> None:
    print(f"\n{label}: {len(data):,} records")
    for name, (check, compiled) in made.items():
        seconds = best(check, data, repeat)
        print(f"  {name:34} {seconds * 1000:9.1f} ms  {seconds / len(data) * 1e6:7.2f} us/record  "
              f"(compiled in {compiled * 1000:.1f} ms)")


def agreement(data: list[dict], made: dict) -> None:
    truth = made["jsonschema"][0]
    wrong = broken(data)
    print(f"\nverdicts differing from jsonschema ({len(data)} records, {len(wrong)} broken copies):")
    for name, (check, _) in made.items():
        if name == "jsonschema":
            continue
        differ = sum(check(v) is not truth(v) for v in data + wrong)
        print(f"  {name:34} {differ}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--times", type=int, default=200, help="how many times the shipped records are checked (default 200)")
    parser.add_argument("--corpus", type=Path, help="a content folder (benchmarks/make_corpus.py) whose records are checked once each")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the best is shown (default 3)")
    args = parser.parse_args(argv)
    schema = record_schema()
    made = checkers(schema)
    shipped = records(ROOT / "content" / "papers")
    report(f"shipped records x {args.times}", shipped * args.times, made, args.repeat)
    if args.corpus:
        report(f"corpus {args.corpus}", records(args.corpus / "papers"), made, args.repeat)
    agreement(shipped, made)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
