"""The edge of the protocol with real Socket.IO clients: reserved and unknown event names, text that is
not UTF-8, and messages over the size limit. Each refused event gets an error ack and changes nothing."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest
from metric_values import metric_value

from game_server import protocol

from .conftest import Client, Server

# Socket.IO's own names (python-socketio reserves connect/disconnect; socket.io-client reserves the rest),
# plus names the protocol simply does not have.
RESERVED = ["connect", "disconnect", "connect_error", "disconnecting", "newListener", "removeListener",
            "message"]
UNKNOWN = ["no_such_event", "*", "state", "DRAW", "\ud800"]


async def seated(server: Server) -> tuple[Client, Client, str]:
    ann, bob = await server.client(), await server.client()
    code = (await ann.ok("create_room", {"name": "Ann"}))["code"]
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    return ann, bob, code


def connections(server: Server) -> float:
    return metric_value(server.ctx.metrics, "socket_connections")


@pytest.mark.parametrize("name", RESERVED + UNKNOWN)
async def test_reserved_and_unknown_names_get_unknown_event_and_change_nothing(
    server: Server, name: str
) -> None:
    ann, bob, code = await seated(server)
    gauge, before = connections(server), await server.raw(code)
    payloads: list[Any] = [None, {}, {"protocol": 1}, "junk", [1, {"a": None}]]
    for payload in payloads:
        ack = await bob.call(name, payload)
        assert ack["ok"] is False and ack["error"]["code"] == "unknown_event", (name, payload, ack)
        assert isinstance(ack["error"]["message"], str)
    ack = await bob.sio.call(name, ({}, {"protocol": 1}), timeout=5)  # several arguments
    assert ack["error"]["code"] == "unknown_event"
    await asyncio.sleep(0.05)
    assert await server.raw(code) == before, f"{name} changed the room"
    assert connections(server) == gauge
    assert bob.sio.connected
    # Bob still holds his seat: his next event works and nobody saw him leave.
    await bob.ok("chat", {"text": "still here"})
    assert not ann.named("player_left")
    assert all(p["connected"] for p in (await bob.ok("get_state"))["state"]["players"])


async def test_a_real_disconnect_still_frees_the_connection(server: Server) -> None:
    ann, bob, _ = await seated(server)
    assert connections(server) == 2  # real connects count (an emitted one does not: above)
    await bob.call("disconnect", {})  # emitted: ignored
    await bob.close()  # real
    await ann.wait_for(lambda: any(not p["connected"] for p in ann.last_state()["players"]))
    assert connections(server) == 1


@pytest.mark.parametrize("event,payload", [
    ("rejoin", {"token": "\ud800"}),
    ("rejoin", {"token": "ab\udfffcd"}),
    ("create_room", {"name": "An\ud800n"}),
    ("join_room", {"code": "\ud800", "name": "Bob"}),
    ("chat", {"text": "hi \udc00"}),
    ("kick", {"player_id": "\ud800"}),
    ("draw", {"seq": 0, "ops": [{"type": "clear"}], "turn": "\ud800"}),
    ("update_settings", {"settings": {"custom_words": ["ca\ud800t"]}}),
])
async def test_lone_surrogates_are_refused_at_the_edge(server: Server, event: str, payload: Any) -> None:
    ann, _, code = await seated(server)
    before = await server.raw(code)
    ack = await ann.call(event, payload)
    assert ack["ok"] is False and ack["error"]["code"] in ("bad_request", "invalid_text"), ack
    assert "UTF-8" in ack["error"]["message"] or ack["error"]["code"] == "invalid_text", ack
    assert await server.raw(code) == before


async def test_a_message_over_the_size_limit_closes_the_connection(server: Server) -> None:
    ann, bob, code = await seated(server)
    before = await server.raw(code)
    reasons: list[Any] = []
    bob.sio.on("disconnect", lambda *args: reasons.append(args))
    big = "x" * (protocol.MAX_MESSAGE_BYTES + 1)
    with pytest.raises(Exception):  # noqa: B017  the ack never comes: the server closed the socket
        await bob.sio.call("chat", {"text": big}, timeout=2)
    await bob.wait_for(lambda: not bob.sio.connected)
    assert reasons  # the client saw a disconnect (reason: transport close)
    # The seat is kept for the grace period, as for any dropped connection; the room is otherwise intact.
    await ann.wait_for(lambda: any(not p["connected"] for p in ann.last_state()["players"]))
    assert (await server.room(code)).player(bob.player_id) is not None
    assert before  # (the room existed before)


async def raw_socket(server: Server, frames: list[str]) -> list[Any]:
    """Speak Engine.IO/Socket.IO by hand (what no client library sends); return the acks, in order."""
    url = server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
    acks: list[Any] = []
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        assert (await ws.receive()).data.startswith("0")  # Engine.IO open
        await ws.send_str('40{"protocol":1}')
        assert (await ws.receive()).data.startswith("40")  # Socket.IO connect
        for frame in frames:
            await ws.send_str(frame)
            reply = (await asyncio.wait_for(ws.receive(), 3)).data
            assert reply.startswith("43"), reply  # an ack, whatever was sent
            acks.append(json.loads(reply[2:].lstrip("0123456789"))[0])
    return acks


async def test_unreadable_messages_get_an_ack_and_no_traceback(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    deep = "[" * 50_000 + "]" * 50_000
    frames = [
        '421[]',  # an event with no name
        '422[5,{}]',  # a name that is not a string
        '423["chat",',  # malformed JSON
        '424["chat",{"text":' + "1" * 200 + "}]",  # an integer literal over 100 digits
        '425["chat",{"text":"hi","x":' + deep + "}]",  # nested too deeply for the decoder
        '426["no_such_event",{}]',
        '427["get_state",{}]',  # and the connection still works
    ]
    acks = await raw_socket(server, frames)
    assert [a["error"]["code"] for a in acks] == ["bad_request"] * 5 + ["unknown_event", "not_in_room"]
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL") or r.exc_info]
