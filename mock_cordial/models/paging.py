"""Sorting and paging of record lists the way the REST API's list endpoints offer them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["sort_records", "page_of", "project"]


def sort_records(
    records: list[dict[str, Any]],
    value_of: Callable[[dict[str, Any]], Any],
    descending: bool,
) -> list[dict[str, Any]]:
    """Records ordered by a field: numbers, then strings, each in natural order; missing values last."""

    def sortable(value: Any) -> bool:
        return isinstance(value, (str, int, float)) and not isinstance(value, bool)

    present = [r for r in records if sortable(value_of(r))]
    missing = [r for r in records if not sortable(value_of(r))]
    present.sort(key=lambda r: (isinstance(value_of(r), str), value_of(r)), reverse=descending)
    return present + missing


def page_of(records: list[Any], page: int, per_page: int) -> list[Any]:
    start = (page - 1) * per_page
    return records[start : start + per_page]


def project(record: dict[str, Any], fields: str | None, always: str) -> dict[str, Any]:
    """Only the comma-separated ``fields`` of a record, and its id ``always`` (all when none are named)."""
    if not fields:
        return record
    wanted = [always] + [name.strip() for name in fields.split(",") if name.strip()]
    return {name: record[name] for name in dict.fromkeys(wanted) if name in record}
