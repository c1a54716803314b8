"""Compact, read-only mappings for per-unit values kept through a large collection.

A district keeps 35 units in memory; a country keeps tens of thousands. A unit's scores and
figures are stored as a tuple aligned with one shared key tuple per form, and equal values
share one object, so memory per unit stays small whatever the roster size.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

_CANON: dict[tuple[str, ...], tuple[tuple[str, ...], dict[str, int]]] = {}
_SHARED: dict[Any, Any] = {}
_MISSING = object()


class CompactMap(Mapping):
    """A read-only mapping over shared keys; compares equal to the dict with the same items."""

    __slots__ = ("_keys", "_index", "_values")

    def __init__(self, keys: tuple[str, ...], values: Mapping[str, Any]):
        found = _CANON.get(keys)
        if found is None:
            found = _CANON.setdefault(keys, (keys, {k: i for i, k in enumerate(keys)}))
        self._keys, self._index = found
        unknown = [k for k in values if k not in self._index]
        if unknown:
            raise KeyError(unknown[0])
        self._values = tuple(_share(values.get(k, _MISSING)) for k in self._keys)

    def __getitem__(self, key: str) -> Any:
        position = self._index.get(key)
        if position is None or self._values[position] is _MISSING:
            raise KeyError(key)
        return self._values[position]

    def get(self, key: str, default: Any = None) -> Any:
        """The value for key, or default (without the cost of raising KeyError)."""
        position = self._index.get(key)
        if position is None:
            return default
        value = self._values[position]
        return default if value is _MISSING else value

    def __contains__(self, key: object) -> bool:
        position = self._index.get(key)  # type: ignore[arg-type]
        return position is not None and self._values[position] is not _MISSING

    def __iter__(self) -> Iterator[str]:
        return (k for k, v in zip(self._keys, self._values) if v is not _MISSING)

    def __len__(self) -> int:
        return sum(v is not _MISSING for v in self._values)

    def __repr__(self) -> str:
        return f"CompactMap({dict(self)!r})"

    def aligned(self, keys: tuple[str, ...]) -> tuple[Any, ...]:
        """The values for ``keys`` in order (None where absent), fast when they are this map's keys."""
        if keys is self._keys or keys == self._keys:
            return tuple(None if v is _MISSING else v for v in self._values)
        return tuple(self.get(k) for k in keys)

    def __reduce__(self):
        return (CompactMap, (self._keys, dict(self)))


def _share(value: Any) -> Any:
    """One object for equal immutable values (scores like 0.5, 1, 2 repeat across units)."""
    if value is _MISSING or value is None:
        return value
    try:
        return _SHARED.setdefault((type(value), value), value)
    except TypeError:
        return value


def aligned(values: Mapping[str, Any], keys: tuple[str, ...]) -> tuple[Any, ...]:
    """The values of any mapping for ``keys`` in order, None where absent."""
    if isinstance(values, CompactMap):
        return values.aligned(keys)
    return tuple(values.get(k) for k in keys)
