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


def test_a_client_gone_mid_body_reaches_the_app_as_a_disconnect():
    import asyncio

    from agora.api.limits import JsonDepthLimit

    messages = [{"type": "http.request", "body": b'{"a":', "more_body": True}, {"type": "http.disconnect"}]
    seen = []

    async def app(scope, receive, send):
        seen.append(await receive())

    async def receive():
        return messages.pop(0)

    async def send(message):
        raise AssertionError("nothing is sent to a client that left")

    scope = {"type": "http", "headers": [(b"content-type", b"application/json")]}
    asyncio.run(JsonDepthLimit(app)(scope, receive, send))
    assert seen == [{"type": "http.disconnect"}]
