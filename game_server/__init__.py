"""DoodleAI game server: aiohttp + python-socketio shell around a pure game core.

Owns: `core/` (pure rules), `store/` (room storage), and the shell (app, handlers,
clock, verify, config). Must not import torch; only `store/` talks to Redis.
"""
