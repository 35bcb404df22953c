"""tempo-async: an asyncio-native, typed client for the Tempo REST API v3."""

from tempo_async._converter import ModelValidationError, converter
from tempo_async._version import __version__
from tempo_async.models import *  # noqa: F403
from tempo_async.models import __all__ as _model_names

__all__ = ["ModelValidationError", "__version__", "converter", *_model_names]
