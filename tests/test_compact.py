"""Compact per-unit mappings: same answers as a dict, bounded shared table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from workbook_tools.results import compact
from workbook_tools.results.compact import CompactMap, aligned, share

KEYS = ("a", "b", "c", "d", "e")


@pytest.mark.parametrize("values", [
    {"a": Decimal("1.5"), "b": Decimal(0), "d": True},                   # coded
    {"a": 7, "b": dt.date(2023, 3, 1), "c": None, "e": False},          # coded, None kept
    {"a": 5_000_000, "b": 3},                                             # a large count: plain tuple
    {"a": "ghi chú", "c": Decimal("2")},                                  # a text: plain tuple
    {},
])
def test_compact_map_answers_like_a_dict(values):
    mapped = CompactMap(KEYS, values)
    assert mapped == values and dict(mapped) == values and len(mapped) == len(values)
    assert list(mapped) == [k for k in KEYS if k in values]
    for key in KEYS:
        assert (key in mapped) == (key in values)
        assert mapped.get(key, "none") == values.get(key, "none")
    assert aligned(mapped, KEYS) == tuple(values.get(k) for k in KEYS)
    assert aligned(mapped, ("c", "a")) == (values.get("c"), values.get("a"))
    with pytest.raises(KeyError):
        mapped["zz"]
    with pytest.raises(KeyError):
        CompactMap(KEYS, {"zz": 1})


def test_shared_values_are_one_object_and_the_table_is_bounded(monkeypatch):
    one, other = CompactMap(KEYS, {"a": Decimal("1.25")}), CompactMap(KEYS, {"a": Decimal("1.25")})
    assert one["a"] is other["a"] and share(Decimal("1.25")) is one["a"]
    monkeypatch.setattr(compact, "TABLE_MAX", len(compact._TABLE) + 3)
    maps = [CompactMap(KEYS, {"a": 9000 - n, "b": Decimal(n)}) for n in range(10)]
    assert len(compact._TABLE) <= compact.TABLE_MAX + 1
    assert [dict(m) for m in maps] == [{"a": 9000 - n, "b": Decimal(n)} for n in range(10)]
    assert share(8000.5) == 8000.5 and share(Decimal("sNaN")).is_snan()


def test_shared_decimals_keep_their_digits():
    """0 and -0, 1.5 and 1.50 are equal but print differently: sharing never swaps one for the other."""
    first, second = share(Decimal("0.00")), share(Decimal("-0"))
    assert str(first) == "0.00" and str(second) == "-0"
    mapped = CompactMap(KEYS, {"a": Decimal("1.5"), "b": Decimal("1.50")})
    assert str(mapped["a"]) == "1.5" and str(mapped["b"]) == "1.50"


def test_compact_maps_pickle():
    """Outcomes can go to another process (the empty default too)."""
    import pickle

    mapped = CompactMap(KEYS, {"a": Decimal("2"), "e": "ghi chú"})
    assert pickle.loads(pickle.dumps(mapped)) == mapped
    assert pickle.loads(pickle.dumps(compact.EMPTY)) == {}
