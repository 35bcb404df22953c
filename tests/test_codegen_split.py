"""`codegen.split_models`: one generated module cut into a lazily imported package."""

from __future__ import annotations

import pytest

from codegen.split_models import SplitError, package_init, split

SOURCE = '''"""All models."""

from __future__ import annotations

from attrs import define


@define
class User:
    """A user."""

    name: str


@define
class Worklog:
    """A worklog."""

    author: User
    issue: Issue


@define
class Issue:
    id: int
'''


def test_classes_go_to_their_schema_files_module_with_the_imports_they_need() -> None:
    result = split(SOURCE, {"User": "common", "Worklog": "worklogs", "Issue": "worklogs"}, "pkg")
    assert sorted(result.files) == ["_common.py", "_worklogs.py"]
    assert result.homes == {"User": "_common", "Worklog": "_worklogs", "Issue": "_worklogs"}
    worklogs = result.files["_worklogs.py"]
    assert '"""Models of the schema file worklogs.json."""' in worklogs
    assert "from pkg._common import User\n" in worklogs
    assert "from __future__ import annotations\n" in worklogs
    # the classes keep their order and decorators; __all__ names them
    assert worklogs.index("@define\nclass Worklog:") < worklogs.index("@define\nclass Issue:")
    assert worklogs.rstrip().endswith("__all__ = ['Issue', 'Worklog']")
    assert "from pkg." not in result.files["_common.py"]


def test_a_class_without_a_schema_file_is_refused() -> None:
    with pytest.raises(SplitError, match=r"no schema file defines \['Issue'\]"):
        split(SOURCE, {"User": "common", "Worklog": "worklogs"}, "pkg")


def test_modules_importing_in_a_cycle_are_refused() -> None:
    cyclic = SOURCE + "\n\n@define\nclass Team:\n    lead: Worklog\n"
    origin = {"User": "common", "Worklog": "worklogs", "Issue": "worklogs", "Team": "common"}
    with pytest.raises(SplitError, match="cycle"):
        split(cyclic, origin, "pkg")


def test_the_package_init_maps_every_name_and_imports_them_for_type_checkers() -> None:
    init = package_init("v9", {"Worklog": "_worklogs", "Issue": "_worklogs", "User": "_common"})
    compile(init, "__init__.py", "exec")  # valid Python
    assert "    from tempo_async.models.v9._worklogs import Issue, Worklog\n" in init
    assert "'Issue': '_worklogs'," in init
    assert "__all__ = ['Issue', 'User', 'Worklog']" in init
    assert "    __getattr__, __dir__ = lazy_exports(__name__, _MODULES)" in init
