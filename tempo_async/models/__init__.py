"""The typed models of the Tempo REST API v3 (generated from `schema/v3/`, see codegen/)."""

from tempo_async.models import v3 as _v3
from tempo_async.models._open_enum import OpenEnum
from tempo_async.models.v3 import *  # noqa: F403

__all__ = ["OpenEnum"]
# Type checkers follow `+= module.__all__`, not `*names` inside the list.
__all__ += _v3.__all__
