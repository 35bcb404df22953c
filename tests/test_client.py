"""TempoClient itself: construction, repr, the raw escape hatch, lifecycle."""

from __future__ import annotations

import aiohttp
import pytest
from aioresponses import aioresponses

from tempo_async import TempoClient

BASE = "https://api.tempo.io/core/3"
TOKEN = "s3cr3t-token-value"


async def test_repr_and_str_never_show_the_token() -> None:
    async with TempoClient(TOKEN) as tempo:
        assert TOKEN not in repr(tempo)
        assert TOKEN not in str(tempo)
        assert BASE in repr(tempo)


async def test_get_json_returns_the_body_unchanged_with_quoted_segments() -> None:
    body = {"self": "x", "results": [{"a": None, "unknown": [1, 2]}], "metadata": {"count": 1}}
    with aioresponses() as mocked:
        url = f"{BASE}/teams/1/permissions/tempo.teams.browse.team/users?limit=5"
        mocked.get(url, payload=body)
        async with TempoClient(TOKEN, rate_limit=None) as tempo:
            got = await tempo.get_json(
                ("teams", 1, "permissions", "tempo.teams.browse.team", "users"),
                params={"limit": 5, "skip": None},
            )
    assert got == body


def test_url_of_quotes_segments_and_formats_params() -> None:
    from datetime import date

    tempo = TempoClient(TOKEN)
    url = tempo.url_of(
        ("worklogs", "user", "557058:abc"), {"from": date(2026, 1, 2), "issue": ["A-1", "A-2"]}
    )
    assert url == f"{BASE}/worklogs/user/557058%3Aabc?from=2026-01-02&issue=A-1&issue=A-2"


def test_from_env_requires_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEMPO_API_TOKEN", raising=False)
    with pytest.raises(ValueError, match="TEMPO_API_TOKEN"):
        TempoClient.from_env()


def test_from_env_reads_the_token_and_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEMPO_API_TOKEN", TOKEN)
    monkeypatch.setenv("TEMPO_BASE_URL", "https://tempo.example.com/core/3")
    assert TempoClient.from_env().base_url == "https://tempo.example.com/core/3"


def test_from_env_takes_base_url_from_the_caller_over_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TEMPO_API_TOKEN", TOKEN)
    monkeypatch.setenv("TEMPO_BASE_URL", "https://tempo.example.com/core/3")
    tempo = TempoClient.from_env(base_url="http://127.0.0.1:8080/core/3", rate_limit=None)
    assert tempo.base_url == "http://127.0.0.1:8080/core/3"
    monkeypatch.delenv("TEMPO_BASE_URL")
    assert TempoClient.from_env(base_url="http://127.0.0.1:9/core/3").base_url == (
        "http://127.0.0.1:9/core/3"
    )
    assert TempoClient.from_env().base_url == BASE


def test_a_token_is_required() -> None:
    with pytest.raises(TypeError, match="token"):
        TempoClient()


def test_plain_http_is_refused_for_a_remote_host() -> None:
    with pytest.raises(ValueError):
        TempoClient(TOKEN, base_url="http://api.tempo.io/core/3")


def test_plain_http_is_allowed_on_loopback() -> None:
    assert TempoClient(TOKEN, base_url="http://127.0.0.1:8080/core/3").base_url.startswith(
        "http://127.0.0.1"
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("concurrency", 0),
        ("timeout", -1.0),
        # Infinite or NaN seconds are accepted by aiohttp.ClientTimeout but break the
        # first request (OverflowError: cannot convert float infinity to integer).
        ("timeout", float("inf")),
        ("timeout", float("nan")),
        ("connect_timeout", float("inf")),
        ("connect_timeout", float("nan")),
        ("connect_timeout", 0),
    ],
)
def test_bad_settings_are_rejected(name: str, value: object) -> None:
    with pytest.raises(ValueError, match=name):
        TempoClient(TOKEN, **{name: value})  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["10", None, True])
def test_a_connect_timeout_that_is_not_a_number_is_a_type_error(value: object) -> None:
    with pytest.raises(TypeError, match="connect_timeout"):
        TempoClient(TOKEN, connect_timeout=value)  # type: ignore[arg-type]


async def test_a_closed_client_cannot_be_reentered() -> None:
    tempo = TempoClient(TOKEN)
    await tempo.aclose()
    assert tempo.closed
    with pytest.raises(RuntimeError, match="closed"):
        async with tempo:
            pass


async def test_a_callers_session_is_not_closed() -> None:
    async with aiohttp.ClientSession() as session:
        async with TempoClient(TOKEN, session=session):
            pass
        assert not session.closed


async def test_get_url_refuses_other_hosts() -> None:
    async with TempoClient(TOKEN) as tempo:
        with pytest.raises(ValueError, match=r"api\.tempo\.io"):
            await tempo.get_url("https://evil.example/core/3/worklogs/1")
