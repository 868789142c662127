"""Nothing lost by ``atlas fmt``: a record it cannot fully represent is reported and left
byte for byte as it was; a '#' that is text is not mistaken for a comment."""

from __future__ import annotations

from generator.content import yamlio
from generator.content.fmt import format_record

from conftest import GOOD, write_content

COMMENTED = {
    "top-comment.yaml": "# reviewed by Ann\ntitle: A\ntype: adjacent\n",
    "end-of-line.yaml": "title: A  # keep this\ntype: adjacent\n",
    "in-flow-list.yaml": "title: A\ntype: adjacent\ntags: [dpo,  # first\n  rlhf]\n",
    "block-header.yaml": "title: A\ntype: adjacent\nabstract: |  # pasted from the PDF\n  text\n",
    "after-block.yaml": "title: A\ntype: adjacent\nabstract: |\n  text\n# trailing note\n",
    "in-links.yaml": "title: A\ntype: adjacent\nlinks:\n  # the official repository\n  code: https://github.com/a/b\n",
    "directive.yaml": "%YAML 1.1  # version\n---\ntitle: A\ntype: adjacent\n",
}
BROKEN = {
    "duplicate.yaml": "title: A\ntype: adjacent\ntitle: B\n",
    "anchored.yaml": "title: &t A\ntype: adjacent\n",
    "unknown-key.yaml": "title: A\ntype: adjacent\ncolour: red\n",
    "latin1.yaml": "title: Caf\xe9\ntype: adjacent\n".encode("latin-1"),
    "tabbed.yaml": "title: A\nlinks:\n\tcode: https://github.com/a/b\n",
    "listed.yaml": "- title: A\n",
    "two-documents.yaml": "title: A\n---\ntype: adjacent\n",
}
EXPECTED = [
    "after-block.yaml:5: has a comment that fmt would drop; move it into the record's `notes` field",
    "anchored.yaml:1: YAML anchor '&t' is not allowed in records; write the value out",
    "block-header.yaml:3: has a comment that fmt would drop; move it into the record's `notes` field",
    "directive.yaml:1: has a comment that fmt would drop; move it into the record's `notes` field",
    "duplicate.yaml:3: title: duplicate key (first written on line 1)",
    "end-of-line.yaml:1: has a comment that fmt would drop; move it into the record's `notes` field",
    "in-flow-list.yaml:3: has a comment that fmt would drop; move it into the record's `notes` field",
    "in-links.yaml:4: has a comment that fmt would drop; move it into the record's `notes` field",
    "latin1.yaml:1: not UTF-8 text (byte 0xe9 at offset 10)",
    "listed.yaml:1: expected a mapping of fields; fix the record first",
    "tabbed.yaml:3: YAML syntax error: while scanning for the next token, found character '\\t' that cannot start any token (YAML is indented with spaces, never tabs)",
    "top-comment.yaml:1: has a comment that fmt would drop; move it into the record's `notes` field",
    "two-documents.yaml:2: a second YAML document starts here; a record is a single document (remove the '---' or '...' line)",
    "unknown-key.yaml:3: colour: unknown key; fix the record first",
]


def test_fmt_leaves_every_record_it_cannot_represent_untouched(atlas, tmp_path):
    root = write_content(tmp_path / "content", {**COMMENTED, **BROKEN, "good.yaml": GOOD})
    before = {p.name: p.read_bytes() for p in (root / "papers").iterdir()}
    result = atlas("fmt", "--content", ".", cwd=root)
    assert result.returncode == 1
    assert result.stdout == "formatted papers/good.yaml\n"
    assert result.stderr.splitlines() == [f"papers/{line}" for line in EXPECTED] + ["14 problem(s) in 14 file(s)"]
    after = {p.name: p.read_bytes() for p in (root / "papers").iterdir()}
    assert {name for name in before if after[name] != before[name]} == {"good.yaml"}


def test_hash_signs_that_are_text_are_not_comments(tmp_path):
    text = (
        "title: 'C# and F# #1: \"#hashtags\"'\n"
        "type: adjacent\n"
        "abstract: |\n"
        "  # a Markdown heading, not a comment\n"
        "\n"
        "  text with a #tag\n"
        "summary: \"quoted # hash\"\n"
        "links:\n"
        "  code: https://github.com/a/b#readme\n"
    )
    (path,) = [write_content(tmp_path / "c", {"x.yaml": text}) / "papers" / "x.yaml"]
    formatted, problems = format_record(path)
    assert problems == []
    data = yamlio.parse_text(formatted, "x").data
    assert data["title"] == 'C# and F# #1: "#hashtags"'
    assert data["abstract"] == "# a Markdown heading, not a comment\n\ntext with a #tag"
    assert data["summary"] == "quoted # hash"
    assert data["links"] == {"code": "https://github.com/a/b#readme"}


def test_many_comments_are_found_in_one_parse(tmp_path, monkeypatch):
    """Finding comments must not parse the file once per comment (a 64 KB file of comments
    would take minutes)."""
    path = write_content(tmp_path / "c", {"x.yaml": "title: A\ntype: adjacent\n" + "#\n" * 20_000}) / "papers" / "x.yaml"
    parses = []
    real = yamlio.parse_text
    monkeypatch.setattr(yamlio, "parse_text", lambda *a: parses.append(a) or real(*a))
    text, problems = format_record(path)
    assert text is None
    assert [p.line for p in problems] == list(range(3, 20_003))
    assert len(parses) == 1
