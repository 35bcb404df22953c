"""tempo-async: an asyncio-native, typed client for the Tempo REST API v3."""

from tempo_async._converter import ModelValidationError, converter
from tempo_async._paging import Page, Paginator
from tempo_async._version import __version__
from tempo_async.client import TempoClient
from tempo_async.errors import (
    BadRequestError,
    ConflictError,
    ForbiddenError,
    GoneError,
    NotFoundError,
    RateLimitedError,
    ResponseTooLargeError,
    ServerError,
    TempoError,
    TempoHTTPError,
    TempoTransportError,
    UnauthorizedError,
)
from tempo_async.models import OpenEnum
from tempo_async.models import v3 as _v3
from tempo_async.models.v3 import *  # noqa: F403
from tempo_async.oauth import OAuth2Credentials

__all__ = [
    "BadRequestError",
    "ConflictError",
    "ForbiddenError",
    "GoneError",
    "ModelValidationError",
    "NotFoundError",
    "OAuth2Credentials",
    "OpenEnum",
    "Page",
    "Paginator",
    "RateLimitedError",
    "ResponseTooLargeError",
    "ServerError",
    "TempoClient",
    "TempoError",
    "TempoHTTPError",
    "TempoTransportError",
    "UnauthorizedError",
    "__version__",
    "converter",
]
# Type checkers follow `+= module.__all__`, not `*names` inside the list.
__all__ += _v3.__all__
