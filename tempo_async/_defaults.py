"""Every default of the client in one place: timeouts, retries, rate limit, paging.

The transport, both API versions' clients and the CLI read these; a caller overrides any
of them per client (constructor arguments) or per call (`limit=`, `concurrency=`).
"""

from __future__ import annotations

TIMEOUT = 60.0
"""Seconds one HTTP request (connect, send, read) may take in all."""
CONNECT_TIMEOUT = 10.0
"""Seconds to establish a connection."""
MAX_RETRIES = 3
"""Retries of one request after a retryable failure (Tempo's guidance for 5xx: 3)."""
RETRY_BUDGET = 120.0
"""Seconds one request may spend waiting between its retries, in all."""
RATE_LIMIT = 5.0
"""Requests per second per client: Tempo Cloud allows about 5 per tenant."""
CONNECTION_LIMIT = 10
"""Pooled connections of the client's aiohttp session."""
CONCURRENCY = 8
"""Pages a paged list requests at once (the rate limit still spaces them)."""
MAX_BODY_SIZE = 256 * 1024 * 1024
"""Bytes of one response body the transport reads before it gives up (a page of 5000
worklogs is about 6 MB)."""
