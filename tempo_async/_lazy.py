"""Names loaded on first use: a package's exports, a client's resources.

Importing a model or resource module has a price (attrs builds every class's methods when
the class is defined, ~1 ms a class); a program that lists worklogs should not pay for
the hundreds of models and resources it never touches. Nothing here names a version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, overload

if TYPE_CHECKING:
    from tempo_async._transport import Transport

__all__ = ["LazyResource", "ResourceHost", "lazy_exports"]

R = TypeVar("R")


def lazy_exports(
    package: str, modules: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's `__getattr__` and `__dir__` (PEP 562) that import each name's module
    (`modules`: name -> submodule of `package`) on the name's first access."""
    namespace = import_module(package).__dict__

    def __getattr__(name: str) -> Any:
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{module}"), name)
        namespace[name] = value  # later lookups find it without coming here
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(modules))

    return __getattr__, __dir__


class ResourceHost(Protocol):
    """A client whose resources are created on first use: what they are created over."""

    _resource_args: tuple[Transport, Callable[[], int]]


class LazyResource(Generic[R]):
    """A client attribute whose resource class (its module, and the models that module
    uses) is imported on first access; the resource is then kept on the client.

    ``accounts: LazyResource[AccountsResource] = LazyResource("pkg.accounts", "AccountsResource")``
    reads as an `AccountsResource` on a client, and as the descriptor on its class.
    """

    __slots__ = ("_attribute", "_class_name", "_module")

    def __init__(self, module: str, class_name: str) -> None:
        self._module = module
        self._class_name = class_name
        self._attribute = class_name

    def __set_name__(self, owner: type, name: str) -> None:
        self._attribute = name

    @overload
    def __get__(self, client: None, owner: type) -> LazyResource[R]: ...

    @overload
    def __get__(self, client: ResourceHost, owner: type) -> R: ...

    def __get__(self, client: ResourceHost | None, owner: type) -> LazyResource[R] | R:
        if client is None:
            return self
        resource_class = getattr(import_module(self._module), self._class_name)
        resource: R = resource_class(*client._resource_args)
        # A plain attribute now: later reads do not come through the descriptor.
        vars(client)[self._attribute] = resource
        return resource

    def __repr__(self) -> str:
        return f"LazyResource({self._module}.{self._class_name})"
