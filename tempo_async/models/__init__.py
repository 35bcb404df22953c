"""The typed models of the Tempo REST API v3 (generated from `schema/v3/`, see codegen/)."""

from tempo_async.models._open_enum import OpenEnum
from tempo_async.models.v3 import *  # noqa: F403
from tempo_async.models.v3 import __all__ as _v3_names

__all__ = ["OpenEnum", *_v3_names]
