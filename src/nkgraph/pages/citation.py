"""Citations of what an article says: one plain-text sentence a person pastes, and a
CSL-JSON item a reference manager imports (Zotero, Mendeley, pandoc and citeproc read
CSL-JSON: https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html).

The cited item is the article; what it says, who says it and through whom go in the
item's ``note``, and the sentence in ``section``, because the article, not its source, is
what the reader read. No date is given: the text states none.

>>> from nkgraph.pages.naming import Link
>>> words = Citable(
...     "https://ex.org/q-1", "quotation", Link("https://ex.org/turkey", "Turkey"),
...     None, "claimed", (), (), ("anti-terrorism measures",), None, "sentence 11")
>>> cite(words, article_title="An article").text
'Turkey claimed: “anti-terrorism measures”. In “An article”, sentence 11. https://ex.org/q-1'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from nkgraph.pages.article import ArticleData, Claim
from nkgraph.pages.naming import Link

__all__ = [
    "CSL_JSON",
    "Citable",
    "Citation",
    "article_citations",
    "citable_claim",
    "citable_words",
    "cite",
    "csl_json",
]

#: The media type of CSL-JSON (registered for citeproc's data).
CSL_JSON: Final = "application/vnd.citationstyles.csl+json"


@dataclass(frozen=True)
class Citable:
    """What a citation needs: the thing's IRI (its stable link), what it is, who says it
    (``None``: the article itself), in what role and with which verb, through whom, the
    words quoted (verbatim) or else the claim in words, and where the article says it
    ("sentence 11", or "line 2" for a line that is not a sentence, such as a caption)."""

    iri: str
    kind: str  # "claim", "quotation", "figure"
    source: Link | None
    role: Link | None
    verb: str | None
    reported_by: tuple[Link, ...]
    translated_by: tuple[Link, ...]
    quoted: tuple[str, ...]
    claim: str | None
    place: str | None


@dataclass(frozen=True)
class Citation:
    """A plain-text citation and its CSL-JSON item."""

    iri: str
    text: str
    csl: Mapping[str, object]

    @property
    def id(self) -> str:
        return str(self.csl["id"])


def citable_claim(claim: Claim) -> Citable:
    """A claim, cited by the words it quotes (its quotations, its figure, its words)."""
    quoted: tuple[str, ...] = tuple(q.words for q in claim.quotations)
    if not quoted and claim.figure is not None:
        quoted = (claim.figure.words,)
    if not quoted and claim.words is not None:
        quoted = (claim.words,)
    return _citable(claim.iri, "claim", claim, quoted, None if quoted else claim.summary)


def citable_words(iri: str, kind: str, words: str, claim: Claim | None) -> Citable:
    """A quotation or figure (``kind``), said by whoever makes ``claim`` (the first claim
    resting on it; ``None``: the article in its own voice)."""
    return _citable(iri, kind, claim, (words,), None)


def _citable(
    iri: str, kind: str, claim: Claim | None, quoted: tuple[str, ...], summary: str | None
) -> Citable:
    a = claim.attribution if claim is not None else None
    return Citable(
        iri=iri,
        kind=kind,
        source=a.source if a else None,
        role=a.role if a else None,
        verb=a.verb if a else None,
        reported_by=a.reported_by if a else (),
        translated_by=a.translated_by if a else (),
        quoted=quoted,
        claim=summary,
        place=claim.unit.label.lower() if claim is not None and claim.unit is not None else None,
    )


def cite(item: Citable, *, article_title: str, place: str | None = None) -> Citation:
    """The citation of ``item``, read in the article called ``article_title``;
    ``place`` stands in when ``item`` does not know where the article says it."""
    place = item.place or place
    said = _said(item)
    where = f"In “{article_title}”" + (f", {place}" if place else "")
    text = f"{said}. {where}. {item.iri}"
    csl: dict[str, object] = {
        "id": _slug(item.iri),
        "type": "article-newspaper",
        "title": article_title,
        "URL": item.iri,
        "note": said,
        "genre": {"claim": "claim", "quotation": "quotation", "figure": "figure"}[item.kind],
    }
    if place:
        csl["section"] = place
    return Citation(item.iri, text, csl)


def _said(item: Citable) -> str:
    """ "Foreign Ministry of Turkey claimed: “…”", with the role and the chain."""
    who = item.source.label if item.source else "The article"
    if item.role is not None:
        who += f" ({item.role.label})"
    verb = item.verb or ("says" if item.source else "states")
    through = [f"as reported by {_names(item.reported_by)}"] if item.reported_by else []
    if item.translated_by:
        through.append(f"in a translation by {_names(item.translated_by)}")
    chain = f", {' and '.join(through)}" if through else ""
    what = " … ".join(f"“{q}”" for q in item.quoted) if item.quoted else (item.claim or "")
    return f"{who} {verb}{chain}: {what}"


def _names(links: Iterable[Link]) -> str:
    return ", ".join(link.label for link in links)


def _slug(iri: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", iri.rstrip("/").rsplit("/", 1)[-1]) or "item"


def article_citations(article: ArticleData) -> dict[str, Citation]:
    """The citation of every claim, quotation and figure of ``article``, by IRI."""
    title = article.title
    found = {c.iri: cite(citable_claim(c), article_title=title) for c in article.claims}
    words = {s.target.iri: (s.kind, s.words) for s in article.spots if s.kind == "quotation"}
    words |= {f.iri: ("figure", f.words) for f in article.figures}
    for iri, (kind, text) in words.items():
        claim = next((c for c in article.claims if c.rests_on(iri)), None)
        unit = article.unit(next((s.unit for s in article.spots if s.target.iri == iri), ""))
        found[iri] = cite(
            citable_words(iri, kind, text, claim),
            article_title=title,
            place=unit.label.lower() if unit is not None else None,
        )
    return found


def csl_json(citations: Iterable[Citation]) -> str:
    """CSL-JSON: an array of items, as reference managers import it."""
    return json.dumps([dict(c.csl) for c in citations], ensure_ascii=False, indent=2)
