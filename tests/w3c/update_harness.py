"""Read the W3C SPARQL 1.1 Update evaluation manifests, and compare the graph store an
update leaves with the one the suite expects.

- A test (``mf:UpdateEvaluationTest``): the request (``ut:request``), the store before
  (``ut:data`` files merged into the default graph, each ``ut:graphData`` a named graph
  named by its ``rdfs:label``) and the store after (``mf:result``, the same way; a graph
  the result does not list is expected empty). The update folders' negative syntax tests
  (``mf:NegativeSyntaxTest11``) are read too: their request must be refused.
- Files resolve their relative IRIs against their place in the W3C test tree (see
  ``harness.py``), and a request without ``BASE`` gets its own IRI as base.
- Stores are compared graph by graph, by rdflib's isomorphism; an empty graph and an
  absent one are the same (SPARQL 1.1 Update, 3.1.3: a store may drop empty graphs).
  Blank nodes are compared within each graph, since the suite's files cannot say that
  two graphs share one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pyoxigraph as ox
from harness import BASE, MF, SUITE, WrongAnswerError, file_quads, has_base, iri
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import graph_diff, isomorphic
from rdflib.term import Node

UT: Final = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TOP_MANIFEST: Final = "manifest-sparql11-update.ttl"
#: Included by the Update manifest but holding syntax tests only, so not copied here.
SYNTAX_ONLY: Final = frozenset({"syntax-update-1", "syntax-update-2"})

#: A graph's name: an IRI, or None for the default graph.
GraphName = str | None


@dataclass(frozen=True)
class GraphFile:
    """A file of the suite, and the graph of the store it fills."""

    name: GraphName
    path: Path


@dataclass(frozen=True)
class UpdateTest:
    """One ``mf:UpdateEvaluationTest`` (or a negative syntax test: ``after`` is None)."""

    id: str  # "folder/name", the name being the fragment of the test's IRI
    request: Path
    before: tuple[GraphFile, ...]
    after: tuple[GraphFile, ...] | None

    @property
    def negative(self) -> bool:
        """Whether the request is not SPARQL Update and must be refused."""
        return self.after is None

    def request_text(self) -> str:
        """The request, with ``BASE <its IRI>`` in front when it declares none."""
        text = self.request.read_text(encoding="utf-8")
        return text if has_base(text) else f"BASE <{iri(self.request)}>\n{text}"


def update_tests() -> list[UpdateTest]:
    """Every update evaluation (and negative syntax) test, in manifest order."""
    graph = Graph().parse(SUITE / TOP_MANIFEST, format="turtle", publicID=BASE + TOP_MANIFEST)
    top = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for include in _items(graph, top, MF.include):
        relative = str(include)[len(BASE) :]
        if relative.split("/", 1)[0] not in SYNTAX_ONLY:
            tests += _manifest_tests(SUITE / relative)
    return tests


def _manifest_tests(manifest: Path) -> list[UpdateTest]:
    graph = Graph().parse(manifest, format="turtle", publicID=iri(manifest))
    top = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in _items(graph, top, MF.entries):
        kind = graph.value(entry, RDF.type)
        test_id = f"{manifest.parent.name}/{str(entry).rsplit('#', 1)[1]}"
        action = graph.value(entry, MF.action)
        if kind == MF.NegativeSyntaxTest11:
            tests.append(UpdateTest(test_id, _path(action), (), None))
        elif kind == MF.UpdateEvaluationTest:
            result = graph.value(entry, MF.result)
            request = _path(graph.value(action, UT.request))
            before, after = _graph_files(graph, action), _graph_files(graph, result)
            tests.append(UpdateTest(test_id, request, before, after))
    return tests


def _items(graph: Graph, node: Node, predicate: URIRef) -> Collection:
    """The RDF list that is ``node``'s value for ``predicate``."""
    head = graph.value(node, predicate)
    assert head is not None, f"{node} has no {predicate}"
    return Collection(graph, head)


def _graph_files(graph: Graph, node: Node | None) -> tuple[GraphFile, ...]:
    files = [GraphFile(None, _path(data)) for data in graph.objects(node, UT.data)]
    for named in graph.objects(node, UT.graphData):
        label = graph.value(named, RDFS.label)
        assert label is not None, f"a ut:graphData without its name: {named}"
        files.append(GraphFile(str(label), _path(graph.value(named, UT.graph))))
    return tuple(sorted(files, key=lambda f: (f.name or "", f.path)))


def _path(node: object) -> Path:
    assert isinstance(node, URIRef) and str(node).startswith(BASE), node
    return SUITE / str(node)[len(BASE) :]


# --- stores ---------------------------------------------------------------------------


def store_quads(files: Iterable[GraphFile]) -> list[ox.Quad]:
    """The quads of a store made of ``files`` (blank nodes distinct per file)."""
    quads = []
    for file in files:
        graph = ox.DefaultGraph() if file.name is None else ox.NamedNode(file.name)
        quads += file_quads(file.path, graph)
    return quads


#: A store as graphs: each graph name and its triples.
Graphs = dict[GraphName, Graph]


def graphs_of(quads: Iterable[ox.Quad]) -> Graphs:
    """``quads`` as rdflib graphs, one per graph name (empty graphs left out)."""
    triples: dict[GraphName, list[ox.Triple]] = defaultdict(list)
    for quad in quads:
        name = None if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        triples[name].append(ox.Triple(quad.subject, quad.predicate, quad.object))
    graphs = {}
    for name, group in triples.items():
        text = ox.serialize(group, format=ox.RdfFormat.N_TRIPLES) or b""
        graphs[name] = Graph().parse(data=text.decode("utf-8"), format="nt")
    return graphs


def check_store(test: UpdateTest, actual: Graphs) -> None:
    """Compare the store the update left with the one the test expects.

    Raises:
        WrongAnswerError: a graph differs (the message names it and shows the triples
            found on one side only).
    """
    assert test.after is not None, f"{test.id} is a syntax test"
    expected = graphs_of(store_quads(test.after))
    differences = []
    for name in sorted(expected.keys() | actual.keys(), key=lambda n: n or ""):
        want, got = expected.get(name, Graph()), actual.get(name, Graph())
        if not isomorphic(want, got):
            _, only_expected, only_actual = graph_diff(want, got)
            differences.append(
                f"graph {'DEFAULT' if name is None else f'<{name}>'} differs\n"
                f"only expected:\n{only_expected.serialize(format='nt')}"
                f"only actual:\n{only_actual.serialize(format='nt')}"
            )
    if differences:
        raise WrongAnswerError("\n".join(differences))
