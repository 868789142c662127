"""Long lists of papers as pages: newest first or A to Z, split into pages of a set size.

A listing at ``tags/genomics`` has its first page, newest first, at ``tags/genomics.md`` (the
page the facet always had), its next pages at ``tags/genomics/page/2.md``, ``.../page/3.md``, and
the same papers from A to Z at ``tags/genomics/a-z.md`` and ``tags/genomics/a-z/page/2.md``.
A page's address depends only on its listing, its order and its number, so links stay stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from generator.content.models import Paper
from generator.site.index import paper_order, title_order

NEWEST = "newest"
"""Newest first: :func:`generator.site.index.paper_order`."""
A_Z = "a-z"
"""From A to Z: :func:`generator.site.index.title_order`."""
ORDERS = (NEWEST, A_Z)


@dataclass(frozen=True)
class ListingPage:
    """One page of a listing: its papers in one order, and its number (from 1)."""

    listing: "Listing"
    order: str
    number: int
    papers: tuple[Paper, ...]

    @property
    def path(self) -> str:
        """The page's Markdown path under the site."""
        return self.listing.path(self.order, self.number)

    @property
    def count(self) -> int:
        """How many pages the listing has in this order (the same in both orders)."""
        return self.listing.count


@dataclass(frozen=True, eq=False)
class Listing:
    """The papers of a type's sub-group or of a facet value, as pages of ``size`` papers."""

    base: str
    """The listing's path without ``.md`` (``tags/genomics``)."""
    papers: tuple[Paper, ...]
    size: int

    @cached_property
    def newest(self) -> tuple[Paper, ...]:
        """The papers, newest first."""
        return tuple(sorted(self.papers, key=paper_order))

    @cached_property
    def a_z(self) -> tuple[Paper, ...]:
        """The papers from A to Z."""
        return tuple(sorted(self.papers, key=title_order))

    @property
    def count(self) -> int:
        """How many pages the listing has (one at least, even when empty)."""
        return max(1, -(-len(self.papers) // self.size))

    @property
    def orders(self) -> tuple[str, ...]:
        """The orders the listing has pages in: both, but for a single paper, newest first only."""
        return ORDERS if len(self.papers) > 1 else (NEWEST,)

    @property
    def has_a_z(self) -> bool:
        """Whether the listing has pages from A to Z."""
        return A_Z in self.orders

    def path(self, order: str, number: int) -> str:
        """Where page ``number`` of the listing in ``order`` goes."""
        if order not in self.orders or not 1 <= number <= self.count:
            raise ValueError(f"no page {number} in order {order!r} of {self.base}")
        first = self.base if order == NEWEST else f"{self.base}/{A_Z}"
        return f"{first}.md" if number == 1 else f"{first}/page/{number}.md"

    def pages(self, order: str) -> list[ListingPage]:
        """Every page of the listing in ``order``."""
        papers = self.newest if order == NEWEST else self.a_z
        return [ListingPage(self, order, n, papers[(n - 1) * self.size:n * self.size])
                for n in range(1, self.count + 1)]

    def all_pages(self) -> list[ListingPage]:
        """Every page of the listing, newest first then A to Z (if it has that order)."""
        return [page for order in self.orders for page in self.pages(order)]
