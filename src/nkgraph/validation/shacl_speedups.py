"""Take four per-focus-node costs out of pySHACL while it validates, without changing
what it computes.

pySHACL validates a property shape once per focus node, and each time it reads the
shape's predicates from the shapes graph, scans a list of some 40 constraint parameters
(``p in list``, one rdflib ``__eq__`` per item) for each of them, and builds each of the
shape's constraint components anew, reading their parameters from the shapes graph
again; and it runs a SHACL-SPARQL constraint once per focus node, each time matching
six regular expressions against the same query text to reject MINUS, VALUES, SERVICE
and the like. On 100 synthetic articles the scan and the check took about a quarter of
the validation time; reading the shapes graph and building components took about a
fifth of what was left. Within ``pyshacl_speedups()``:

- the parameter list is a list that answers ``in`` from a set (same members, same
  order, same equality, since rdflib terms hash as they compare);
- a shape's predicates and objects are read from the shapes graph once, in the order
  the store gives them (pySHACL does not change the shapes graph while it validates);
- each shape's constraint component of each kind is built once and reused (or, if
  building it failed, fails again the same way). In pySHACL 0.40 a component keeps
  only what its ``__init__`` read from the shape: no other method assigns to it, and
  the only container filled later is ``sh:pattern``'s cache of compiled expressions;
- a query text's check is run once and its outcome (pass) remembered; a text that
  fails is checked, and fails, every time, as before.

Like :mod:`nkgraph.validation.shacl_query_cache`, this swaps pySHACL internals for the length
of the block, a process-wide change: use it where nothing else validates concurrently. pySHACL is
pinned below 0.41; these are its 0.40 internals (``pyshacl.shape.CONSTRAINT_PARAMS``,
which ``Shape.validate`` reads as the parameter list and the map from parameter to
component class, ``ShapesGraph.predicate_objects``, whose one caller is
``Shape.validate``, and ``SPARQLQueryHelper.check_invalid_sparql``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pyshacl.shape
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper
from pyshacl.shapes_graph import ShapesGraph

__all__ = ["pyshacl_speedups"]

_MISSING = object()


class _BuiltOnce:
    """Stands for a constraint component class in pySHACL's parameter map: called with a
    shape, as the class is, it returns the component it built for that shape before."""

    def __init__(self, component: type[Any]) -> None:
        self._component = component
        self._built: dict[Any, Any] = {}  # shape -> component, or the exception raised

    def __call__(self, shape: Any, *args: Any) -> Any:
        if args:  # not how Shape.validate calls it: build afresh, as pySHACL would
            return self._component(shape, *args)
        built = self._built.get(shape, _MISSING)
        if built is _MISSING:
            try:
                built = self._component(shape)
            except Exception as error:  # ConstraintLoadWarning/Error: pySHACL decides
                built = error
            self._built[shape] = built
        if isinstance(built, Exception):
            raise built.with_traceback(None)
        return built


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


def _built_once(parameter_map: dict[Any, type[Any]]) -> dict[Any, _BuiltOnce]:
    """The map with each class replaced by its :class:`_BuiltOnce`, one per class: several
    parameters name one component (``sh:qualifiedMinCount``, ``sh:qualifiedMaxCount``),
    and ``Shape.validate`` builds and evaluates it once for them all."""
    stand_ins = {cls: _BuiltOnce(cls) for cls in set(parameter_map.values())}
    return {parameter: stand_ins[cls] for parameter, cls in parameter_map.items()}


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

    original_predicate_objects: Callable[..., Any] = ShapesGraph.predicate_objects
    read: dict[tuple[ShapesGraph, Any], tuple[Any, ...]] = {}

    def predicate_objects(self: ShapesGraph, subject: Any) -> tuple[Any, ...]:
        key = (self, subject)
        if key not in read:
            read[key] = tuple(original_predicate_objects(self, subject))
        return read[key]

    pyshacl.shape.CONSTRAINT_PARAMS = (  # type: ignore[attr-defined]
        _IndexedList(ALL_CONSTRAINT_PARAMETERS),
        _built_once(CONSTRAINT_PARAMETERS_MAP),
    )
    SPARQLQueryHelper.check_invalid_sparql = check_invalid_sparql  # type: ignore[method-assign]
    ShapesGraph.predicate_objects = predicate_objects  # type: ignore[method-assign]
    try:
        yield
    finally:
        ShapesGraph.predicate_objects = original_predicate_objects  # type: ignore[method-assign]
        SPARQLQueryHelper.check_invalid_sparql = original_check  # type: ignore[method-assign]
        if saved_params is _MISSING:
            del pyshacl.shape.CONSTRAINT_PARAMS  # type: ignore[attr-defined]
        else:
            pyshacl.shape.CONSTRAINT_PARAMS = saved_params  # type: ignore[attr-defined]
