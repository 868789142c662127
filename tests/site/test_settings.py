"""The settings dataclass is the one place of the plugin's options and defaults."""

from __future__ import annotations

import dataclasses

import pytest

from generator.site.settings import DEFAULTS, Settings, options


def test_the_plugin_options_are_the_settings_options():
    from generator.mkdocs.config import AtlasConfig

    config = AtlasConfig()
    config.load_dict({})
    errors, warnings = config.validate()
    assert (errors, warnings) == ([], [])
    names = [name for name, *_ in options()]
    assert sorted(names) == sorted(key for key, _option in AtlasConfig._schema)
    assert {name: config[name] for name in names} == {name: getattr(DEFAULTS, name) for name in names}
    assert {"content", "templates", "recent", "related", "edit_url"} <= set(names)


def test_the_plugin_checks_option_types_from_the_dataclass():
    from generator.mkdocs.config import AtlasConfig

    for name, value in (("recent", "ten"), ("related", 2.5), ("edit_url", 3), ("content", ["a"])):
        config = AtlasConfig()
        config.load_dict({name: value})
        errors, _warnings = config.validate()
        assert [key for key, _error in errors] == [name]


def test_site_fields_are_not_plugin_options():
    names = {name for name, *_ in options()}
    site = {f.name for f in dataclasses.fields(Settings)} - names
    assert site == {"site_name", "site_url", "root"}


def test_paths_are_relative_to_the_root(tmp_path):
    settings = Settings(root=str(tmp_path), content="c", templates=str(tmp_path / "abs"))
    assert settings.content_dir == tmp_path / "c"
    assert settings.templates_dir == tmp_path / "abs"


def test_site_info_and_the_index_take_the_defaults_from_the_settings():
    from generator.site.build import site_info
    from generator.site.index import RELATED_LIMIT
    from generator.site.pages import SiteInfo

    assert site_info(DEFAULTS) == SiteInfo()
    assert RELATED_LIMIT == DEFAULTS.related


@pytest.mark.parametrize("name", ["content", "templates", "recent", "related"])
def test_every_option_has_a_description(name):
    assert dict((n, doc) for n, _kind, _default, _optional, doc in options())[name]
