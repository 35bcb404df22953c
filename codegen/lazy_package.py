"""The `__init__.py` of a generated package whose names are imported on first use."""

from __future__ import annotations

from collections.abc import Mapping


def lazy_init(docstring: str, package: str, homes: Mapping[str, str]) -> str:
    """The source of `package`'s `__init__.py`, exporting every name of `homes` (name ->
    the submodule defining it) through `tempo_async._lazy.lazy_exports`; type checkers
    see plain imports of them all."""
    by_module: dict[str, list[str]] = {}
    for name, module in sorted(homes.items()):
        by_module.setdefault(module, []).append(name)
    checking = [
        f"    from {package}.{module} import {', '.join(names)}"
        for module, names in sorted(by_module.items())
    ]
    table = [f"    {name!r}: {module!r}," for name, module in sorted(homes.items())]
    return "\n".join(
        [
            f'"""{docstring}"""',
            "",
            "from __future__ import annotations",
            "",
            "from typing import TYPE_CHECKING",
            "",
            "from tempo_async._lazy import lazy_exports",
            "",
            "if TYPE_CHECKING:",
            *checking,
            "",
            "_MODULES: dict[str, str] = {",
            *table,
            "}",
            '"""Every name -> the module (of this package) that defines it."""',
            "",
            f"__all__ = {sorted(homes)!r}",
            "",
            "if not TYPE_CHECKING:  # type checkers see the imports above, not a catch-all",
            "    __getattr__, __dir__ = lazy_exports(__name__, _MODULES)",
            "",
        ]
    )
