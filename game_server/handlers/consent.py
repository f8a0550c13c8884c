"""`set_consent`: a player starts or stops letting their drawings train the AI (core/capture.py).

Revocable at any time: from the next drawing that ends, nothing more is kept of a player who said no.
What was kept already goes only with a deletion request naming the contributor id (README, "Privacy").
"""

from __future__ import annotations

from typing import Any

from game_server import protocol
from game_server.context import ServerContext
from game_server.core import Room, SetConsent
from game_server.core.capture import new_contributor_id
from game_server.handlers.dispatch import on
from game_server.handlers.play import seat_of
from game_server.handlers.runtime import run


def register(ctx: ServerContext) -> None:
    on(ctx, protocol.SET_CONSENT, "other", set_consent)


async def set_consent(ctx: ServerContext, sid: str, data: protocol.SetConsent) -> dict[str, Any]:
    seat = seat_of(ctx, sid)
    fresh = new_contributor_id(ctx.rng)

    def command(room: Room) -> SetConsent:
        if not data.consent:
            return SetConsent(seat.member_id, "")
        player = room.player(seat.member_id)
        current = player.contributor if player is not None else ""
        return SetConsent(seat.member_id, current or data.contributor or fresh)  # one id per person

    outcome = await run(ctx, seat.code, command)
    player = outcome.room.player(seat.member_id)
    return {"contributor": (player.contributor or None) if player is not None else None}
