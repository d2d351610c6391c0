"""pyoxigraph parses into rdflib with the result rdflib's own parsers give (fast_load)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

import pytest
from rdfcompare import assert_isomorphic
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from nkgraph.errors import DataLoadError
from nkgraph.model import loading as graph
from nkgraph.model.loading import load_dataset, load_shapes
from nkgraph.model.resources import shipped
from nkgraph.model.synthetic import write_synthetic

_QUAD = URIRef("urn:test:quad")


class Loads:
    """Loads with the fast path, or with rdflib's parsers only; records which took which."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.fast: list[str] = []
        self.slow: list[str] = []
        self._monkeypatch = monkeypatch

    def dataset(self, paths: Sequence[Path] | None, ontology: Path, *, fast: bool) -> Dataset:
        with self._patched(fast=fast):
            return load_dataset(paths, ontology=ontology)

    def shapes(self, *, fast: bool) -> Graph:
        with self._patched(fast=fast):
            return load_shapes()

    @contextmanager
    def _patched(self, *, fast: bool) -> Iterator[None]:
        original = graph.parse_into

        def parse_into(target: Graph, path: Path, **options: str) -> bool:
            parsed = fast and original(target, path, **options)
            (self.fast if parsed else self.slow).append(path.name)
            return parsed

        with self._monkeypatch.context() as patch:
            patch.setattr(graph, "parse_into", parse_into)
            yield


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> Loads:
    return Loads(monkeypatch)


def assert_same(fast: Dataset, slow: Dataset) -> None:
    """The same dataset: quads (blank nodes up to renaming), graphs, literals as written,
    and prefixes, in the order they were bound."""
    assert list(fast.namespaces()) == list(slow.namespaces())
    assert _names(fast.store.contexts()) == _names(slow.store.contexts())
    assert _names(fast.graphs()) == _names(slow.graphs())
    assert len(fast) == len(slow)
    # rdflib compares language tags without case; the tags must be the same as written.
    assert _literals(fast) == _literals(slow)
    # A cheap check first: isomorphism takes long to fail on many blank nodes.
    assert _blank_nodes(fast.quads()) == _blank_nodes(slow.quads())
    assert_isomorphic(_as_graph(slow), _as_graph(fast))


def _names(graphs: Iterator[Graph]) -> Counter[str]:
    """The graphs' names; blank ones counted (which is which, ``_as_graph`` compares)."""
    return Counter(
        "_:" if isinstance(graph.identifier, BNode) else graph.identifier.n3() for graph in graphs
    )


def _literals(dataset: Dataset) -> Counter[tuple[str, str | None, str | None]]:
    return Counter(
        (str(o), o.datatype, o.language)
        for _, _, o, _ in dataset.quads((None, None, None, None))
        if isinstance(o, Literal)
    )


def _blank_nodes(statements: Iterable[tuple[Node | None, ...]]) -> int:
    return len({term for statement in statements for term in statement if isinstance(term, BNode)})


def _as_graph(dataset: Dataset) -> Graph:
    """One graph with the dataset's quads, so that isomorphism spans graphs (a blank node
    shared by two graphs stays one): the graph's name goes into the predicate, or, for
    a blank-node name, the quad is reified."""
    result = Graph()
    for s, p, o, name in dataset.quads((None, None, None, None)):
        if isinstance(name, BNode):
            quad = BNode()
            for part, term in zip("spog", (s, p, o, name), strict=True):
                result.add((quad, URIRef(f"{_QUAD}#{part}"), term))
        else:
            result.add((s, URIRef(f"{_QUAD}:{quote(p, safe='')}:{quote(name, safe='')}"), o))
    return result


def test_shipped_data_parses_alike_and_fast(loads: Loads) -> None:
    ontology = shipped().ontology
    fast = loads.dataset(None, ontology, fast=True)
    assert not loads.slow
    assert set(loads.fast) == {ontology.name} | {p.name for p in shipped().data_files()}
    assert_same(fast, loads.dataset(None, ontology, fast=False))


def test_shipped_shapes_parse_alike_and_fast(loads: Loads) -> None:
    fast = loads.shapes(fast=True)
    assert (loads.fast, loads.slow) == ([shipped().shapes.name], [])
    slow = loads.shapes(fast=False)
    assert list(fast.namespaces()) == list(slow.namespaces())
    assert _blank_nodes(fast) == _blank_nodes(slow)
    assert_isomorphic(slow, fast)


@pytest.mark.parametrize("suffix", [".nq", ".trig"])
def test_synthetic_data_parses_alike_and_fast(loads: Loads, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"synthetic{suffix}"
    write_synthetic(path, 3)
    ontology = shipped().ontology
    fast = loads.dataset([path], ontology, fast=True)
    assert not loads.slow
    assert_same(fast, loads.dataset([path], ontology, fast=False))


class Case(NamedTuple):
    """Files to load (the first as the ontology), and whether pyoxigraph may parse all."""

    files: dict[str, str]
    fast: bool


_TTL = "@prefix ex: <http://e/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
_XSD_STRING = "<http://www.w3.org/2001/XMLSchema#string>"
CASES = [
    pytest.param(
        Case(
            {
                "a.ttl": _TTL + "ex:a ex:n 1.50, +01, -0.0, .5, 1E3, -1.0e-3, true, false, 007 ;\n"
                ' ex:s "plain", "typed"^^xsd:date, "x"@en, \'\'\'a\r\nb\'\'\', "\\u00e9\\t" ;\n'
                ' ex:l (1 [ ex:p ex:c\\.d ] ()), ex:é ; ex:ill "x"^^xsd:integer .\n'
                "_:b ex:p [ ex:q _:b ] .\n"
            },
            fast=True,
        ),
        id="turtle-terms",
    ),
    pytest.param(
        Case(
            {"a.ttl": "PREFIX ex: <http://e/>\n# x\nprefix : <http://f/>\nex:a :b ex:c .\n"}, True
        ),
        id="turtle-sparql-prefixes",
    ),
    pytest.param(
        Case({"a.ttl": _TTL + "@prefix ex: <http://other/> .\nex:a ex:b ex:c .\n"}, True),
        id="turtle-prefix-declared-twice",
    ),
    pytest.param(Case({"a.ttl": _TTL + 'ex:a ex:b "x"^^xsd:string .\n'}, False), id="xsd-string"),
    pytest.param(
        Case({"a.ttl": _TTL + 'ex:a ex:b "x"^^ # why\n xsd:string .\n'}, False),
        id="xsd-string-after-comment",
    ),
    pytest.param(
        Case(
            {
                "a.ttl": "@prefix s: <http://www.w3.org/2001/XMLSchema#str> .\n"
                '<http://e/a> <http://e/b> "x"^^s:ing .\n'
            },
            False,
        ),
        id="xsd-string-split",
    ),
    pytest.param(Case({"a.ttl": _TTL + 'ex:a ex:b "x"@en-GB .\n'}, False), id="language-capitals"),
    pytest.param(Case({"a.ttl": _TTL + "ex:a ex:b <c> .\n"}, False), id="relative-iri"),
    pytest.param(
        Case({"a.ttl": "@base <http://e/> .\n<a> <b> <c> .\n"}, False), id="base-directive"
    ),
    pytest.param(
        Case(
            {"a.ttl": _TTL + "ex:a ex:b ex:c .\n@prefix f: <http://f/> .\nex:a ex:b f:c .\n"}, False
        ),
        id="prefix-after-statement",
    ),
    pytest.param(
        Case(
            {
                "o.ttl": _TTL + "ex:o ex:p ex:q .\n",
                "a.trig": _TTL + 'ex:g { _:b ex:p "1" . [] ex:q _:b }\n'
                'GRAPH ex:h { _:b ex:p "2" }\nex:h { ex:a ex:b ex:c }\n',
            },
            True,
        ),
        id="trig-blank-node-in-two-graphs",
    ),
    pytest.param(
        Case({"o.ttl": "", "a.trig": _TTL + "ex:a ex:b ex:c .\nex:g { ex:a ex:b ex:d }\n"}, False),
        id="trig-default-graph",
    ),
    pytest.param(
        Case({"o.ttl": "", "a.trig": _TTL + "{ ex:a ex:b ex:c }\n"}, False),
        id="trig-default-graph-block",
    ),
    pytest.param(
        Case({"o.ttl": "", "a.trig": _TTL + "_:g { ex:a ex:b ex:c }\n"}, False),
        id="trig-blank-node-graph",
    ),
    pytest.param(
        Case(
            {"o.trig": _TTL + "ex:g { ex:a ex:b ex:c }\n", "a.ttl": _TTL + "ex:a ex:b 1 .\n"}, True
        ),
        id="trig-as-ontology",
    ),
    pytest.param(
        Case(
            {
                "o.ttl": "",
                "a.nq": '<http://e/a> <http://e/b> "x"@en <http://e/g> .\n'
                "_:b <http://e/b> _:g _:g .\n"
                "# a comment\n\n"
                '<http://e/a> <http://e/b> "d"^^<http://e/t> .\n',
                "b.nq": '_:b <http://e/b> <http://e/c> .\n_:b <http://e/b> "x" <http://e/g> .\n',
            },
            True,
        ),
        id="n-quads-default-named-and-blank-graphs",
    ),
    pytest.param(
        Case(
            {
                "o.nq": '<http://e/a> <http://e/b> "o" .\n'
                '<http://e/a> <http://e/b> "g" <http://e/g> .\n',
                "a.nt": '<http://e/a> <http://e/b> "t" .\n_:x <http://e/b> _:x .\n',
            },
            True,
        ),
        id="n-quads-as-ontology-and-n-triples",
    ),
    pytest.param(
        Case({"o.ttl": "", "a.nq": f'<http://e/a> <http://e/b> "x"^^{_XSD_STRING} .\n'}, False),
        id="n-quads-xsd-string",
    ),
    pytest.param(
        Case({"o.ttl": "", "a.nq": '<http://e/a> <http://e/b> "x"@EN <http://e/g> .\n'}, False),
        id="n-quads-language-capitals",
    ),
    pytest.param(
        Case({"o.ttl": "", "a.jsonld": '{"@id": "http://e/a", "http://e/b": "x"}'}, False),
        id="json-ld",
    ),
]


@pytest.mark.parametrize("case", CASES)
def test_files_parse_alike(loads: Loads, tmp_path: Path, case: Case) -> None:
    paths = []
    for name, text in case.files.items():
        paths.append(tmp_path / name)
        paths[-1].write_text(text, encoding="utf-8")
    ontology, *data = paths

    fast = loads.dataset(data, ontology, fast=True)

    assert (not loads.slow) is case.fast
    assert_same(fast, loads.dataset(data, ontology, fast=False))


def test_each_file_has_its_own_blank_nodes(tmp_path: Path) -> None:
    paths = [tmp_path / "a.nq", tmp_path / "b.nq", tmp_path / "o.ttl"]
    for path in paths[:2]:
        path.write_text("_:b <http://e/p> <http://e/o> <http://e/g> .\n")
    paths[2].write_text("")
    dataset = load_dataset(paths[:2], ontology=paths[2])
    assert len(set(dataset.subjects(URIRef("http://e/p")))) == 2


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(b'<http://e/a> <http://e/b> "x" .\n<http://e/a> <http://e/b> x .\n', id="nq"),
        pytest.param(
            b"<http://e/a> <http://e/b> <<( <http://e/a> <http://e/b> <http://e/c> )>> .\n",
            id="nq-triple-term",
        ),
        pytest.param(b'<http://e/a> <http://e/b> "x"@en--ltr .\n', id="nq-base-direction"),
    ],
)
def test_errors_are_rdflib_s(loads: Loads, tmp_path: Path, text: bytes) -> None:
    path = tmp_path / "bad.nq"
    path.write_bytes(text)
    ontology = tmp_path / "o.ttl"
    ontology.write_text("")
    errors = []
    for fast in (True, False):
        with pytest.raises(DataLoadError) as raised:
            loads.dataset([path], ontology, fast=fast)
        errors.append(str(raised.value))
    assert errors[0] == errors[1]
