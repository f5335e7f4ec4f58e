"""The line finder places table headers, keys, arrays of tables and nested tables."""

from __future__ import annotations

from peacezones.scenario.locate import key_lines, locate

TEXT = '''\
title = "x"
[meta]
name = "n"
description = """
fake = 1
"""
[[places]]
id = "a"
[[places]]
id = "b"
cite = { lat = ["s"] }
[places.extra]
"quoted key" = 2
[[forces.units]]
size = 3
[parameters.econ.price]
value = 1
'''


def test_keys_headers_and_array_indexes() -> None:
    lines = key_lines(TEXT)
    assert lines[("title",)] == 1
    assert lines[("meta", "name")] == 3
    assert lines[("places", 0, "id")] == 8
    assert lines[("places", 1, "id")] == 10
    assert lines[("places", 1, "extra", "quoted key")] == 13
    assert lines[("forces", "units", 0, "size")] == 15
    assert lines[("parameters", "econ", "price", "value")] == 17


def test_multiline_strings_are_skipped() -> None:
    assert ("meta", "fake") not in key_lines(TEXT)


def test_unknown_paths_fall_back_to_the_nearest_ancestor() -> None:
    lines = key_lines(TEXT)
    assert locate(lines, ("places", 1, "cite", "lat", 0)) == 11
    assert locate(lines, ("places", 1, "missing")) == 9
    assert locate(lines, ("nowhere",)) is None
