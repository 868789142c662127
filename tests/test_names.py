"""People's names read whichever way round they are written, as citation keys, listings and the
duplicate check read them (one function, :func:`generator.content.names.person_name`)."""

from __future__ import annotations

import pytest

from generator.content.models import Paper
from generator.content.names import PersonName, person_name
from generator.site.pages import author_year, surname

SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


@pytest.mark.parametrize("name, parts", [
    ("Rafael Rafailov", ("Rafael", "", "Rafailov")),
    ("Rafailov, Rafael", ("Rafael", "", "Rafailov")),
    ("Li H.", ("H.", "", "Li")),
    ("Lewis G. F.", ("G. F.", "", "Lewis")),
    ("Lewis GF", ("GF", "", "Lewis")),
    ("Kim J.-P.", ("J.-P.", "", "Kim")),
    ("Y. LeCun", ("Y.", "", "LeCun")),
    ("Christopher D. Manning", ("Christopher D.", "", "Manning")),
    ("Vincent van Gogh", ("Vincent", "van", "Gogh")),
    ("van der Berg, Jan", ("Jan", "van der", "Berg")),
    ("Charles de la Vallée Poussin", ("Charles", "de la", "Vallée Poussin")),
    ("de la Vallée Poussin, Charles", ("Charles", "de la", "Vallée Poussin")),
    ("van der Berg J.", ("J.", "van der", "Berg")),
    ("García Márquez, Gabriel", ("Gabriel", "", "García Márquez")),
    ("Martin Luther King Jr.", ("Martin Luther", "", "King")),
    ("King, Jr., Martin Luther", ("Martin Luther", "", "King")),
    ("{The Unicode Consortium}", ("", "", "The Unicode Consortium")),
    ("Team GLM", ("Team", "", "GLM")),
    ("Plato", ("", "", "Plato")),
    ("张三", ("", "", "张三")),
    ("", ("", "", "")),
])
def test_the_parts_of_a_name_whichever_way_round(name, parts):
    assert person_name(name, SUFFIXES) == PersonName(*parts)


def test_listings_show_the_family_name_with_its_particles():
    assert [surname(n) for n in ("Li H.", "Li, Heng", "Heng Li", "Vincent van Gogh", "van Gogh, Vincent")] == [
        "Li", "Li", "Li", "van Gogh", "van Gogh"]
    paper = Paper(id="p", title="T", type="llm-alignment", authors=("Li H.", "Durbin R."), year=2009)
    assert author_year(paper) == "Li and Durbin, 2009"
