"""The v3 resources' base: the version-neutral `tempo_async._resource.Resource`."""

from tempo_async._resource import Path, Resource

__all__ = ["Path", "Resource"]
