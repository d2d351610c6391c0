"""Take two per-focus-node costs out of pySHACL while it validates, without changing
what it computes.

pySHACL validates a property shape once per focus node, and each time it scans a list
of some 40 constraint parameters (``p in list``, one rdflib ``__eq__`` per item) for
each of the shape's predicates; and it runs a SHACL-SPARQL constraint once per focus
node, each time matching six regular expressions against the same query text to
reject MINUS, VALUES, SERVICE and the like. On 100 synthetic articles these took about
a quarter of the validation time. Within ``pyshacl_speedups()``:

- the parameter list is a list that answers ``in`` from a set (same members, same
  order, same equality, since rdflib terms hash as they compare);
- a query text's check is run once and its outcome (pass) remembered; a text that
  fails is checked, and fails, every time, as before.

Like :mod:`nkgraph.prepared`, this swaps pySHACL internals for the length of the block,
a process-wide change: use it where nothing else validates concurrently. pySHACL is
pinned below 0.41; these are its 0.40 internals (``pyshacl.shape.CONSTRAINT_PARAMS``,
``SPARQLQueryHelper.check_invalid_sparql``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pyshacl.shape
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper

__all__ = ["pyshacl_speedups"]

_MISSING = object()


class _IndexedList(list[Any]):
    """A list whose ``in`` is a set lookup; ``copy`` and ``append`` (all pySHACL does to
    it) keep the index."""

    def __init__(self, items: Iterable[Any] = ()) -> None:
        super().__init__(items)
        self._index = set(self)

    def __contains__(self, item: object) -> bool:
        return item in self._index

    def copy(self) -> _IndexedList:
        return _IndexedList(self)

    def append(self, item: Any) -> None:
        super().append(item)
        self._index.add(item)


@contextmanager
def pyshacl_speedups() -> Iterator[None]:
    """Within the block, pySHACL's per-focus-node bookkeeping is cheaper (same results)."""
    saved_params = getattr(pyshacl.shape, "CONSTRAINT_PARAMS", _MISSING)
    original_check: Callable[..., Any] = SPARQLQueryHelper.check_invalid_sparql
    passed: set[tuple[str, bool, tuple[str, ...]]] = set()

    def check_invalid_sparql(
        self: SPARQLQueryHelper,
        sparql_text: str,
        valuenode: Any = None,
        extravars: Any = None,
    ) -> bool:
        # The check reads only the text, whether a value node is given, and extravars.
        key = (sparql_text, valuenode is None, tuple(extravars or ()))
        if key not in passed:
            original_check(self, sparql_text, valuenode=valuenode, extravars=extravars)
            passed.add(key)
        return True

    pyshacl.shape.CONSTRAINT_PARAMS = (  # type: ignore[attr-defined]
        _IndexedList(ALL_CONSTRAINT_PARAMETERS),
        CONSTRAINT_PARAMETERS_MAP,
    )
    SPARQLQueryHelper.check_invalid_sparql = check_invalid_sparql  # type: ignore[method-assign]
    try:
        yield
    finally:
        SPARQLQueryHelper.check_invalid_sparql = original_check  # type: ignore[method-assign]
        if saved_params is _MISSING:
            del pyshacl.shape.CONSTRAINT_PARAMS  # type: ignore[attr-defined]
        else:
            pyshacl.shape.CONSTRAINT_PARAMS = saved_params  # type: ignore[attr-defined]
