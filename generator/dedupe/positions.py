"""Where a paper sits in its venue (year, volume, issue, first page), and the titles a venue
prints in more than one place, which only that place can tell apart.

Functions here read the matcher's records by attribute: ``venue``, ``preprint``, ``norm``,
``year``, ``volume``, ``issue`` and ``page``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable

_ROMAN_PAGE = re.compile(r"\s*([ivxlcdm]+)\b", flags=re.I)


def numbers(value) -> tuple:
    """The numbers of a volume or issue as written (``69 (8)`` gives ``69``, ``8``; leading
    zeros dropped), sorted; none when the field was cut in two by its source."""
    text = str(value or "")
    if text.count("(") != text.count(")"):
        return ()  # a field cut in two by its source; it proves nothing
    return tuple(sorted({n.lstrip("0") for n in re.findall(r"\d+", text)}))


def first_page(value) -> str:
    """The first page of a page range (``e24`` gives ``24``, ``iii-x`` gives ``iii``), or ""."""
    text = str(value or "")
    found = re.match(r"\s*[a-z]?(\d+)", text, flags=re.I)
    if found:
        return found.group(1).lstrip("0")
    roman = _ROMAN_PAGE.match(text)
    return roman.group(1).lower() if roman else ""


def conflict(a, b, field: str) -> bool:
    """Whether two records hold different volumes (``field`` "volume") or issues ("issue").

    Sources move numbers between the fields (volume ``18 (8)`` with the article number as the
    issue; a supplement's number as the volume), so a number that the other record holds in
    its volume, issue or first page is no conflict."""
    mine, theirs = getattr(a, field), getattr(b, field)
    if not mine or not theirs or set(mine) & set(theirs):
        return False
    return not set(mine) & {*b.volume, *b.issue, b.page} and not set(theirs) & {*a.volume, *a.issue, a.page}


def places_agree(a, b) -> tuple[bool, str]:
    """Whether two records are in the same place of their venue: year, volume, issue and first
    page equal wherever both records have them, and at least one of volume, issue and page
    held by both (so there is something to compare). Also says why not ("" when they agree)."""
    if a.year and b.year and a.year != b.year:
        return False, f"years {a.year} and {b.year}"
    for field in ("volume", "issue"):
        if conflict(a, b, field):
            return False, f"{field}s {', '.join(getattr(a, field))} and {', '.join(getattr(b, field))}"
    if a.page and b.page and a.page != b.page:
        return False, f"pages {a.page} and {b.page}"
    if (a.volume and b.volume) or (a.issue and b.issue) or (a.page and b.page):
        return True, ""
    return False, "no volume, issue or page held by both"


def title_key(record) -> tuple[str, str] | None:
    """The venue and normalized title that recurring titles are counted by (None without a
    venue, or in a preprint server)."""
    if not record.venue or record.preprint or not record.norm:
        return None
    return record.venue, record.norm


def recurring_keys(records: Iterable) -> set:
    """The (venue, title) keys of titles printed in more than one place of one venue: records
    with the same normalized title and venue but different years, volumes or issues."""
    first: dict = {}
    groups: dict = defaultdict(list)
    for record in records:
        key = title_key(record)
        if key:
            if key in first:
                groups[key].append(record)
            else:
                first[key] = record
    return {key for key, members in groups.items() if in_several_places([first[key], *members])}


def in_several_places(members: list) -> bool:
    """Whether records (of one venue and title) hold different years, volumes or issues."""
    if len({m.year for m in members if m.year}) > 1:
        return True
    placed = list({(m.volume, m.issue): m for m in members if m.volume or m.issue}.values())
    return any(conflict(x, y, field) for k, x in enumerate(placed) for y in placed[k + 1:] for field in ("volume", "issue"))
