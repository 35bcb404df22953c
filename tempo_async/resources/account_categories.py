"""Account categories and their types (spec sections "Account - Categories", "Account - Category - Types")."""

from __future__ import annotations

from tempo_async import _params as check
from tempo_async.models import Category, CategoryInput, CategoryType
from tempo_async.resources._base import Resource


class AccountCategories(Resource):
    """`/account-categories`: the categories accounts are filed under."""

    __slots__ = ()

    async def create(self, category: CategoryInput) -> Category:
        """Creates a new category."""
        body = check.body("category", category, CategoryInput)
        return await self._send("POST", ("account-categories",), Category, body)

    async def list(self, id: int | None = None) -> list[Category]:
        """Retrieve all existing categories (or only the one with `id`).

        The spec marks `id` required on this "retrieve all" operation; it is optional here.
        """
        return await self._list(
            ("account-categories",), Category, {"id": check.optional_ident("id", id)}
        )

    async def get(self, key: str) -> Category:
        """Retrieve an existing category for the given key."""
        return await self._get(("account-categories", check.key("key", key)), Category)

    async def update(self, key: str, category: CategoryInput) -> Category:
        """Update an existing category."""
        path = ("account-categories", check.key("key", key))
        return await self._send(
            "PUT", path, Category, check.body("category", category, CategoryInput)
        )

    async def delete(self, key: str) -> None:
        """Delete an existing category."""
        await self._delete(("account-categories", check.key("key", key)))


class AccountCategoryTypes(Resource):
    """`/account-category-types`: the fixed category types (BILLABLE, CAPITALIZED, ...)."""

    __slots__ = ()

    async def list(self) -> list[CategoryType]:
        """Retrieve all existing types."""
        return await self._list(("account-category-types",), CategoryType)
