"""Disjoint sets (union-find), the one implementation the stages share: reuse families are the
connected passage sides, claim families the connected same-claim links."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

T = TypeVar("T", bound="SupportsRichComparison")  # members are also hashable


class DisjointSets(Generic[T]):
    """Sets joined by :meth:`union`; the root of a set is its smallest member, so roots (and
    ids made from them) do not depend on the order of the unions."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        self.parent: dict[T, T] = {x: x for x in items}

    def __contains__(self, x: object) -> bool:
        return x in self.parent

    def find(self, x: T) -> T:
        """The root of ``x``'s set (``x`` is added as a set of its own when new)."""
        parent = self.parent
        root = parent.setdefault(x, x)
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def union(self, x: T, y: T) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            low, high = sorted((rx, ry))
            self.parent[high] = low

    def roots(self) -> dict[T, T]:
        """Every member with the root of its set."""
        return {x: self.find(x) for x in self.parent}
