"""A whole game over the network: 3 players and a spectator, 2 rounds, through the real app and clock.

Covers correct guesses, a close guess, hints, an early turn end, a choose timeout, a drawing timeout, a
reconnection with the token that restores the score (and the drawing so far), the final ranking, the way
back to the lobby, and the secrecy audit of every event each guesser and the spectator received.
"""

from __future__ import annotations

import asyncio

from game_server.core.state import CHOOSE_TIME, GAME_END_TIME, TURN_END_TIME

from .audit import leaks
from .conftest import Client, Server


def stroke(sid: int, x: float) -> dict:
    return {
        "type": "stroke",
        "id": sid,
        "tool": "pen",
        "color": "#000000",
        "width": 5,
        "points": [[x, 10], [x + 5, 20]],
    }


async def current(server: Server, code: str) -> tuple[str, str | None, tuple[str, ...]]:
    room = await server.room(code)
    assert room.turn is not None
    return room.turn.drawer_id, room.turn.word, room.turn.choices


async def test_full_game_two_rounds_three_players_and_a_spectator(server: Server) -> None:
    ann, bob, cy, zoe = [await server.client() for _ in range(4)]
    created = await ann.ok("create_room", {"name": "Ann", "settings": {"rounds": 2, "hints": 2}})
    code = created["code"]
    assert created["invite"] == f"/r/{code}" and created["role"] == "player"
    await bob.ok("join_room", {"code": code.lower(), "name": "Bob"})
    await cy.ok("join_room", {"code": code, "name": "Cy"})
    watch = await zoe.ok("join_room", {"code": code, "name": "Zoe", "spectate": True})
    assert watch["role"] == "spectator"
    by_id = {c.player_id: c for c in (ann, bob, cy)}
    secrets: dict[str, list[str]] = {}

    async def new_turn() -> tuple[Client, str]:
        room = await server.room(code)
        assert room.phase == "choosing", room.phase
        secrets[room.turn.key] = list(room.turn.choices)
        return by_id[room.turn.drawer_id], room.turn.key

    # -- turn 1: Ann draws; a close guess, a hint, two correct guesses -> early end ---------------------
    await ann.ok("start_game")
    drawer, key = await new_turn()
    assert drawer is ann
    choices = (await ann.wait_event("state", lambda s: bool(s["turn"] and s["turn"]["choices"])))["turn"][
        "choices"
    ]
    assert choices == secrets[key]
    chosen = await ann.ok("choose_word", {"index": 1})
    word = chosen["word"]
    secrets[key].append(word)
    for seq in range(3):
        await ann.ok("draw", {"seq": seq, "ops": [stroke(seq, 100 + 10 * seq)]})
    near = word[:-1] + ("q" if word[-1] != "q" else "z")
    assert (await bob.ok("chat", {"text": near}))["result"] == "close"
    await bob.wait_event("close_guess")
    wrong = await cy.ok("chat", {"text": "no idea at all"})
    assert wrong["result"] == "sent"
    await server.tick(80 / 3 + 0.1)
    hint = await zoe.wait_event("hint")
    assert hint["pattern"].count("_") == sum(1 for ch in word if ch not in " -'") - 1
    right = await bob.ok("chat", {"text": word.upper()})
    assert right["result"] == "correct" and right["points"] > 50
    await cy.ok("chat", {"text": f"  {word} "})
    ended = await zoe.wait_event("turn_ended")
    assert ended["word"] == word and ended["reason"] == "all_guessed"
    assert near not in [d["text"] for d in cy.named("chat")]  # the close guess was not relayed

    # -- turn 2: Bob never chooses (auto-pick), Cy guesses, Ann does not -> drawing timeout -------------
    await server.tick(TURN_END_TIME)
    drawer, key = await new_turn()
    assert drawer is bob
    await server.tick(CHOOSE_TIME)
    _, word, _ = await current(server, code)
    secrets[key].append(word)
    assert word in secrets[key][:-1]
    await cy.ok("chat", {"text": word})
    await server.tick(80)
    ended = await ann.wait_event("turn_ended", lambda d: d["word"] == word)
    assert ended["reason"] == "time"

    # -- turn 3: Cy draws; Bob drops and comes back on a new connection with his token ----------------
    await server.tick(TURN_END_TIME)
    drawer, key = await new_turn()
    assert drawer is cy
    word = (await cy.ok("choose_word", {"index": 0}))["word"]
    secrets[key].append(word)
    await cy.ok("draw", {"seq": 0, "ops": [stroke(1, 50)]})
    bob_score = (await server.room(code)).player(bob.player_id).score
    assert bob_score > 0
    await bob.sio.disconnect()
    await ann.wait_for(
        lambda: any(p["id"] == bob.player_id and not p["connected"] for p in ann.last_state()["players"])
    )
    bob2 = await server.client()
    back = await bob2.ok("rejoin", {"token": bob.token})
    assert back["player_id"] == bob.player_id
    me = next(p for p in back["state"]["players"] if p["id"] == bob.player_id)
    assert me["score"] == bob_score and me["connected"]
    assert back["state"]["phase"] == "drawing" and back["state"]["turn"]["word"] is None
    assert back["drawing"]["key"] == key and len(back["drawing"]["ops"]) == 1
    by_id[bob.player_id] = bob2
    await bob2.ok("chat", {"text": word})
    await ann.ok("chat", {"text": word})
    await zoe.wait_event("turn_ended", lambda d: d["word"] == word)

    # -- round 2: three quick turns --------------------------------------------------------------------
    for expected in (ann, bob2, cy):
        await server.tick(TURN_END_TIME)
        drawer, key = await new_turn()
        assert drawer is expected
        word = (await drawer.ok("choose_word", {"index": 2}))["word"]
        secrets[key].append(word)
        for guesser in (ann, bob2, cy):
            if guesser is not drawer:
                await guesser.ok("chat", {"text": word})
        await zoe.wait_event("turn_ended", lambda d, w=word: d["word"] == w)

    await server.tick(TURN_END_TIME)
    final = await zoe.wait_event("game_ended")
    ranking = final["ranking"]
    assert [r["score"] for r in ranking] == sorted((r["score"] for r in ranking), reverse=True)
    assert {r["id"] for r in ranking} == {ann.player_id, bob.player_id, cy.player_id}
    room = await server.room(code)
    assert {p.id: p.score for p in room.players} == {r["id"]: r["score"] for r in ranking}
    await server.tick(GAME_END_TIME)
    await ann.wait_for(lambda: ann.last_state()["phase"] == "lobby")

    # -- secrecy: nothing any guesser or the spectator received revealed a word or choice too early ---
    assert len(secrets) == 6
    for client in (ann, bob, bob2, cy, zoe):
        assert leaks(client.events, client.player_id, _minus_own_turns(client, secrets, room)) == []
    # ... and the audit is not vacuous: the drawer's own stream does contain its choices.
    assert leaks(ann.events, None, secrets)


def _minus_own_turns(client: Client, secrets: dict[str, list[str]], room: object) -> dict[str, list[str]]:
    """A drawer may see its own turn's secrets; drop those turns from the audit of that client."""
    own = set()
    for name, data in client.events:
        if name == "state" and data.get("turn") and data.get("drawer_id") == client.player_id:
            own.add(data["turn"]["key"])
    return {k: v for k, v in secrets.items() if k not in own}


async def test_events_sent_concurrently_keep_the_game_consistent(server: Server) -> None:
    """Many guesses at once from different clients: every one is scored once, scores add up."""
    clients = [await server.client() for _ in range(5)]
    code = (await clients[0].ok("create_room", {"name": "P0"}))["code"]
    for i, c in enumerate(clients[1:], 1):
        await c.ok("join_room", {"code": code, "name": f"P{i}"})
    await clients[0].ok("start_game")
    word = (await clients[0].ok("choose_word", {"index": 0}))["word"]
    acks = await asyncio.gather(*(c.call("chat", {"text": word}) for c in clients[1:]))
    assert all(a["ok"] and a["result"] == "correct" for a in acks)
    room = await server.room(code)
    assert room.phase == "turn_end"
    assert room.player(clients[0].player_id).score == 50 * 4
    assert sorted(a["points"] for a in acks) == sorted(room.player(c.player_id).score for c in clients[1:])
