"""The parts of a statement that pages and sentences share: figures, their bounds, and
attributions (who said it, in what role, with what verb, and through whom)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import pyoxigraph as ox

from nkgraph.pages.lookup import Term, first_literal, named
from nkgraph.pages.naming import Labels, Link, format_value
from nkgraph.vocab import NK, PREFIXES

__all__ = ["Attribution", "Bound", "Figure", "attribution_from", "bound_from"]

_RDFS_COMMENT: Final = PREFIXES["rdfs"] + "comment"


@dataclass(frozen=True)
class Bound:
    """One bound of a figure, and whether the bound value itself is included."""

    value: str
    included: bool


@dataclass(frozen=True)
class Figure:
    """A reported number with its hedge and the bounds that hedge gives."""

    iri: str
    surface: str
    hedge: Link | None
    stated: str | None
    lower: Bound | None
    upper: Bound | None
    unit: str | None
    counts: str | None

    @property
    def bounds_text(self) -> str:
        """The bounds in words: "lower bound 100,000, excluded", or "no bounds given"."""
        parts = [
            f"{name} bound {bound.value}, {'included' if bound.included else 'excluded'}"
            for name, bound in (("lower", self.lower), ("upper", self.upper))
            if bound is not None
        ]
        return "; ".join(parts) if parts else "no bounds given"

    @property
    def text(self) -> str:
        """E.g. "more than 100,000 (lower bound 100,000, excluded)"."""
        return f"{self.surface} ({self.bounds_text})"


@dataclass(frozen=True)
class Attribution:
    """Who said a statement, in what role and with what verb, and through whom."""

    iri: str
    source: Link | None
    role: Link | None
    verb: str | None
    reported_by: tuple[Link, ...]
    translated_by: tuple[Link, ...]
    act: Link | None
    scope: Link | None
    comment: str | None


def bound_from(values: Mapping[str, list[Term]], side: str) -> Bound | None:
    """A figure's ``side`` ("lower" or "upper") bound, from its property ``values``."""
    value = values.get(str(NK[f"{side}Bound"]), [None])[0]
    if value is None:
        return None
    included = values.get(str(NK[f"{side}BoundIncluded"]), [None])[0]
    return Bound(format_value(value), isinstance(included, ox.Literal) and included.value == "true")


def attribution_from(iri: str, values: Mapping[str, list[Term]], labels: Labels) -> Attribution:
    """The attribution ``iri``, from its property ``values``."""

    def links(name: str) -> tuple[Link, ...]:
        return tuple(labels.link(i) for i in named(values.get(str(NK[name]), ())))

    def link(name: str) -> Link | None:
        found = links(name)
        return found[0] if found else None

    return Attribution(
        iri=iri,
        source=link("source"),
        role=link("sourceRole"),
        verb=first_literal(values, str(NK.reportingVerb)),
        reported_by=links("reportedBy"),
        translated_by=links("translatedBy"),
        act=link("communicationAct"),
        scope=link("attributionScope"),
        comment=first_literal(values, _RDFS_COMMENT),
    )
