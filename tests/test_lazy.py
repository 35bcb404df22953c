"""The v4 models and resources load on first use: a program pays for what it touches.

Each check that looks at `sys.modules` runs in a fresh interpreter: the rest of the
suite has imported everything long before.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import typing

import attrs
import pytest

import tempo_async.models.v4 as models_v4
import tempo_async.v4.resources as resources_v4
from tempo_async._lazy import LazyResource
from tempo_async.v4 import TempoClient
from tempo_async.v4.resources.accounts import AccountsResource


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_a_client_imports_only_the_resources_and_models_it_uses() -> None:
    out = _run(
        """
        import sys
        import tempo_async.models.v4 as models
        from tempo_async.v4 import TempoClient

        def loaded():
            return sorted(
                name.rsplit(".", 1)[1]
                for name in sys.modules
                if name.startswith(("tempo_async.models.v4.", "tempo_async.v4.resources."))
            )

        client = TempoClient(token="t")
        print(loaded())
        client.accounts
        print(loaded())
        models.AccountInput  # what `accounts.create` reaches for
        print(loaded())
        """
    )
    assert out.splitlines() == [
        "['worklogs']",  # the resource `worklogs` and its helpers are imported with the client
        "['accounts', 'worklogs']",  # no model before one is used
        "['_accounts', '_common', 'accounts', 'worklogs']",
    ]


def test_a_resource_is_created_once_over_the_clients_transport() -> None:
    client = TempoClient(token="t")
    accounts = client.accounts
    assert isinstance(accounts, AccountsResource)
    assert client.accounts is accounts
    assert accounts._transport is client._transport
    assert TempoClient(token="t").accounts is not accounts


def test_on_the_class_the_attribute_is_the_descriptor() -> None:
    descriptor = TempoClient.accounts
    assert isinstance(descriptor, LazyResource)
    assert repr(descriptor) == "LazyResource(tempo_async.v4.resources.accounts.AccountsResource)"


def test_every_model_name_resolves_to_a_class_of_the_package() -> None:
    assert set(models_v4.__all__) <= set(dir(models_v4))
    for name in models_v4.__all__:
        model = getattr(models_v4, name)
        assert model.__name__ == name
        assert model.__module__.startswith("tempo_async.models.v4._")
        if attrs.has(model):
            # names from sibling modules resolve where the class is defined
            typing.get_type_hints(model)


def test_every_resource_name_resolves() -> None:
    for name in resources_v4.__all__:
        assert getattr(resources_v4, name).__name__ == name


@pytest.mark.parametrize("package", [models_v4, resources_v4], ids=lambda p: p.__name__)
def test_an_unknown_name_is_an_attribute_error_naming_it(package: object) -> None:
    with pytest.raises(AttributeError, match=r"has no attribute 'Nope'") as caught:
        package.Nope  # type: ignore[attr-defined]  # noqa: B018
    assert getattr(package, "__name__", "") in str(caught.value)


def test_star_import_brings_every_model() -> None:
    out = _run(
        """
        from tempo_async.models.v4 import *
        import tempo_async.models.v4 as v4
        print(all(name in globals() for name in v4.__all__), len(v4.__all__))
        """
    )
    assert out == f"True {len(models_v4.__all__)}"
