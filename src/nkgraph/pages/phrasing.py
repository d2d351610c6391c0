"""A statement written as an English sentence a person reads, built from its parts.

"Nikol Pashinyan holds the post Prime Minister of Armenia, says the article, in sentence 5."
The clause comes from the predicate's ``nk:readsAs`` pattern in the ontology, with the
subject and the value put in ("{subject} holds the post {value}"); a predicate without
one reads "subject, label: value". Then who says it (the article itself, or the source
with its role, the article's reporting verb, the act, and who reported or translated it),
and the sentence of the article it comes from. Nothing is written per statement: any
statement with a subject, a predicate and a value reads this way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from nkgraph.pages.naming import Link
from nkgraph.pages.statement_parts import Attribution, Figure
from nkgraph.vocab import NK, PREFIXES

__all__ = ["Phrase", "Sentence", "StatementParts", "prefixed_name", "statement_sentence"]

#: The pattern of a predicate that has none of its own.
DEFAULT_PATTERN: Final = "{subject}, {predicate}: {value}"
_SLOT: Final = re.compile(r"\{(subject|value|predicate)\}")


@dataclass(frozen=True)
class Phrase:
    """A piece of a sentence: words, a link (``link``), or the predicate's words
    (``term``: the predicate, whose prefixed name a page shows as a tooltip)."""

    text: str
    link: Link | None = None
    term: Link | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Sentence:
    """A statement in words, as phrases a page renders (links kept) or joins."""

    phrases: tuple[Phrase, ...]

    @property
    def text(self) -> str:
        """The sentence as plain text."""
        return "".join(p.text for p in self.phrases)


def prefixed_name(iri: str) -> str:
    """``org:holds`` for ``http://www.w3.org/ns/org#holds``; the IRI when no prefix fits."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


@dataclass(frozen=True)
class StatementParts:
    """What a statement is made of, as a sentence needs it.

    Args:
        subject: what the statement is about.
        predicate: the relation, with its label from the ontology.
        value: a resource, a figure, the text's words, or nothing.
        pattern: the predicate's ``nk:readsAs`` pattern, if it has one.
        voice: the article's own voice or an attributed one.
        modality: assertion, request, obligation, evaluation.
        attribution: who said it, if someone did.
        unit: the sentence (or line) of the article it comes from.
    """

    subject: Link
    predicate: Link
    value: Link | Figure | str | None
    pattern: str | None = None
    voice: Link | None = None
    modality: Link | None = None
    attribution: Attribution | None = None
    unit: Link | None = None


def statement_sentence(parts: StatementParts) -> Sentence:
    """The statement made of ``parts`` as a sentence.

    >>> nikol, post = Link("id:n", "Nikol Pashinyan"), Link("id:p", "Prime Minister of Armenia")
    >>> holds = Link("http://www.w3.org/ns/org#holds", "holds the post")
    >>> statement_sentence(StatementParts(nikol, holds, post,
    ...     pattern="{subject} holds the post {value}", unit=Link("art:s5", "Sentence 5"))).text
    'Nikol Pashinyan holds the post Prime Minister of Armenia, says the article, in sentence 5.'
    """
    phrases = _clause(parts, parts.pattern or DEFAULT_PATTERN)
    if parts.modality is not None and parts.modality.iri != str(NK.Assertion):
        phrases += [Phrase(" ("), Phrase(parts.modality.label, link=parts.modality), Phrase(")")]
    phrases += _who_says(parts)
    if parts.unit is not None:
        phrases += [Phrase(", in "), Phrase(_lower_first(parts.unit.label), link=parts.unit)]
    phrases.append(Phrase("."))
    first = phrases[0]
    phrases[0] = Phrase(first.text[:1].upper() + first.text[1:], first.link, first.term, first.kind)
    return Sentence(tuple(p for p in phrases if p.text))


def _clause(parts: StatementParts, pattern: str) -> list[Phrase]:
    phrases: list[Phrase] = []
    position = 0
    for slot in _SLOT.finditer(pattern):
        phrases.append(Phrase(pattern[position : slot.start()], term=parts.predicate))
        if slot.group(1) == "subject":
            phrases.append(Phrase(parts.subject.label, link=parts.subject))
        elif slot.group(1) == "predicate":
            phrases.append(Phrase(parts.predicate.label, term=parts.predicate))
        else:
            phrases.append(_value(parts.value))
        position = slot.end()
    phrases.append(Phrase(pattern[position:], term=parts.predicate))
    return [p for p in phrases if p.text]


def _value(value: Link | Figure | str | None) -> Phrase:
    if value is None:
        return Phrase("(no value)")
    if isinstance(value, str):
        return Phrase(f"“{value}”", kind="words")
    if isinstance(value, Figure):
        return Phrase(value.surface, link=Link(value.iri, value.surface), kind="figure")
    return Phrase(value.label, link=value)


def _who_says(parts: StatementParts) -> list[Phrase]:
    attribution = parts.attribution
    if attribution is None:
        if parts.voice is not None and parts.voice.iri == str(NK.AttributedVoice):
            return [Phrase(", according to an unnamed source")]
        return [Phrase(", says the article")]
    return _attributed(attribution)


def _attributed(a: Attribution) -> list[Phrase]:
    phrases = [Phrase(", according to ")]
    phrases.append(Phrase(a.source.label, link=a.source) if a.source else Phrase("a source"))
    if a.role is not None and (a.source is None or a.role.label not in a.source.label):
        phrases += [Phrase(", "), Phrase(a.role.label, link=a.role)]
    if a.verb:
        phrases.append(Phrase(f" (the article's verb: “{a.verb}”)"))
    if a.act is not None:
        phrases += [Phrase(", in "), Phrase(a.act.label, link=a.act)]
    phrases += _list(", as reported by ", a.reported_by)
    phrases += _list(", translated by ", a.translated_by)
    return phrases


def _list(lead: str, links: Iterable[Link]) -> list[Phrase]:
    phrases: list[Phrase] = []
    for index, link in enumerate(links):
        phrases.append(Phrase(lead if index == 0 else " and "))
        phrases.append(Phrase(link.label, link=link))
    return phrases


def _lower_first(label: str) -> str:
    """ "sentence 5" for "Sentence 5" inside a sentence (names keep their capitals)."""
    return label[:1].lower() + label[1:] if re.match(r"(Sentence|Line) \d", label) else label
