"""The Tempo REST API v3 flavour of the emulator: routes, handlers, state and seed."""

from tempo_async.emulator.v3.emulator import Emulator
from tempo_async.emulator.v3.seed import populate
from tempo_async.emulator.v3.state import V3State

__all__ = ["Emulator", "V3State", "populate"]
