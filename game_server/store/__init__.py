"""Room storage: one interface (`base.RoomStore`), two implementations (memory, Redis).

Knows nothing of Socket.IO or of the game rules: rooms are opaque JSON-able dicts.
"""

from game_server.store.base import RoomStore, StoreUnavailable, VersionConflict

__all__ = ["RoomStore", "StoreUnavailable", "VersionConflict"]
