"""The parts of a statement that pages and sentences share: figures, their bounds, and
attributions (who said it, in what role, with what verb, and through whom)."""

from __future__ import annotations

from dataclasses import dataclass

from nkgraph.pages.naming import Link

__all__ = ["Attribution", "Bound", "Figure"]


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
