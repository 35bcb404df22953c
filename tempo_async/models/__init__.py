"""The typed models of the Tempo REST API, generated from `schema/` (see codegen/).

`tempo_async.models` re-exports the v3 models (the v3 public names); the v4 models live in
`tempo_async.models.v4` (`from tempo_async.models.v4 import Worklog, WorklogInput`).
"""

from tempo_async.models import v3 as _v3
from tempo_async.models._extra import NO_EXTRA, ExtraFields
from tempo_async.models._open_enum import OpenEnum
from tempo_async.models.v3 import *  # noqa: F403

__all__ = ["NO_EXTRA", "ExtraFields", "OpenEnum"]
# Type checkers follow `+= module.__all__`, not `*names` inside the list.
__all__ += _v3.__all__
