"""The JSON nesting measure behind the request depth limit."""

from agora.api.limits import json_depth


def test_scalars_have_no_depth():
    assert json_depth(1) == 0 and json_depth("[[[") == 0 and json_depth(None) == 0


def test_depth_counts_arrays_and_objects_alike():
    assert json_depth([]) == 1
    assert json_depth({"a": [1, {"b": []}]}) == 4
    assert json_depth([[[[[]]]], [1]]) == 5


def test_the_deepest_branch_decides():
    wide = {f"k{i}": [i] for i in range(1000)}
    wide["deep"] = {"a": {"b": {"c": {}}}}
    assert json_depth(wide) == 5
