"""A change to the data as two sets of quads, and its text form, RDF Patch.

Every write (a SPARQL Update request, a Graph Store write, a revert) becomes one
:class:`Patch` before anything is applied: the quads it removes and the quads it adds,
exactly, blank nodes with the labels the store gives them. The patch is what is
validated, what the journal keeps, what every worker applies, and what a revert inverts.

Its text form is RDF Patch (https://afs.github.io/rdf-delta/rdf-patch.html, the format of
Apache Jena's RDF Delta): ``H`` header lines, then ``TX``, one ``D`` (delete) or ``A``
(add) line per quad written as N-Quads, and ``TC``::

    H id <urn:uuid:6a0d…> .
    TX .
    D <https://w3id.org/nkgraph/id/x> <http://schema.org/name> "old"@en <https://…/graph/g> .
    A <https://w3id.org/nkgraph/id/x> <http://schema.org/name> "new"@en <https://…/graph/g> .
    TC .
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

import pyoxigraph as ox

from nkgraph.formats import N_QUADS

__all__ = ["DEFAULT_GRAPH", "Patch", "parse_rdf_patch"]

#: How :attr:`Patch.graphs` names the default graph.
DEFAULT_GRAPH: Final = ""

_PATCH_FORMAT: Final = "https://afs.github.io/rdf-delta/rdf-patch.html"


@dataclass(frozen=True)
class Patch:
    """Quads removed, then quads added: a removed quad was in the data, an added one was
    not (a patch built by :meth:`between` or the staging code holds no no-ops).

    >>> a = ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("1"))
    >>> Patch(added=(a,)).inverse() == Patch(removed=(a,))
    True
    """

    removed: tuple[ox.Quad, ...] = ()
    added: tuple[ox.Quad, ...] = ()

    @classmethod
    def between(cls, removed: Iterable[ox.Quad], added: Iterable[ox.Quad]) -> Patch:
        """The patch that removes ``removed`` and adds ``added``, minus what both name
        (removing and adding the same quad changes nothing)."""
        gone = dict.fromkeys(removed)
        new = dict.fromkeys(added)
        both = gone.keys() & new.keys()
        return cls(
            removed=tuple(q for q in gone if q not in both),
            added=tuple(q for q in new if q not in both),
        )

    def __bool__(self) -> bool:
        return bool(self.removed or self.added)

    def inverse(self) -> Patch:
        """The patch that undoes this one."""
        return Patch(removed=self.added, added=self.removed)

    @property
    def graphs(self) -> frozenset[str]:
        """The IRIs of the graphs the patch touches (:data:`DEFAULT_GRAPH` for the default
        graph)."""
        return frozenset(_graph_name(q.graph_name) for q in (*self.removed, *self.added))

    def to_rdf_patch(self, headers: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> str:
        """The patch as RDF Patch text, with ``headers`` as ``H`` lines."""
        lines = [f"H {key} {value} ." for key, value in (headers or {}).items()]
        lines.append("TX .")
        lines.extend(f"D {quad} ." for quad in self.removed)
        lines.extend(f"A {quad} ." for quad in self.added)
        lines.append("TC .")
        return "\n".join(lines) + "\n"


def parse_rdf_patch(text: str) -> tuple[dict[str, ox.NamedNode | ox.Literal], Patch]:
    """The headers and the patch of RDF Patch ``text`` (as :meth:`Patch.to_rdf_patch`
    writes it: one transaction, blank node labels kept).

    Raises:
        ValueError: a line is not RDF Patch, or a quad on it does not parse.
    """
    headers: dict[str, ox.NamedNode | ox.Literal] = {}
    removed: list[ox.Quad] = []
    added: list[ox.Quad] = []
    for number, line in enumerate(text.splitlines(), start=1):
        code, _, rest = line.strip().partition(" ")
        if code in ("", "TX", "TC", "TA"):
            continue
        try:
            if code == "H":
                key, _, value = rest.partition(" ")
                headers[key] = _header_value(value.removesuffix(" ."))
            elif code in ("A", "D"):
                (removed if code == "D" else added).append(_quad(rest))
            else:
                raise ValueError(f"unknown row code {code!r} (see {_PATCH_FORMAT})")
        except (SyntaxError, ValueError) as error:
            raise ValueError(f"RDF Patch line {number}: {error}") from None
    return headers, Patch(removed=tuple(removed), added=tuple(added))


def _graph_name(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> str:
    return graph.value if isinstance(graph, ox.NamedNode) else DEFAULT_GRAPH


def _quad(text: str) -> ox.Quad:
    quads = list(ox.parse(text, format=N_QUADS.ox_rdf_format))
    if len(quads) != 1:
        raise ValueError(f"expected one quad, found {len(quads)}")
    quad = quads[0]
    if not isinstance(quad, ox.Quad):
        raise ValueError(f"expected a quad, found {quad!r}")
    return quad


def _header_value(text: str) -> ox.NamedNode | ox.Literal:
    """A header's value: an IRI or a literal (parsed as the object of an N-Triples line)."""
    triple = _quad(f"<urn:x:s> <urn:x:p> {text} .")
    if not isinstance(triple.object, ox.NamedNode | ox.Literal):
        raise ValueError(f"a header value is an IRI or a literal, not {text!r}")
    return triple.object
