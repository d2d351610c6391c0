"""Staging: the patch an update or a Graph Store write would make, the store unchanged."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from nkgraph.curation import staging
from nkgraph.curation.patch import Patch
from nkgraph.curation.staging import operations, patch_for_graph, patch_for_update
from nkgraph.errors import (
    GraphNotFound,
    ProtocolError,
    QueryEvaluationError,
    QuerySyntaxError,
    QueryTooComplex,
)

EX = "http://example.org/"
A, B, C = (ox.NamedNode(EX + g) for g in "ABC")
S, P = ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p")
#: The subject and predicate of every test quad, as SPARQL.
SP = f"<{EX}s> <{EX}p>"


def _quad(value: str, graph: ox.NamedNode | ox.DefaultGraph | None = None) -> ox.Quad:
    return ox.Quad(S, P, ox.Literal(value), graph or ox.DefaultGraph())


def _sets(patch: Patch) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """What a patch removes and adds (staging gives no order)."""
    return set(patch.removed), set(patch.added)


def _store(*quads: ox.Quad) -> ox.Store:
    store = ox.Store()
    store.extend(quads)
    return store


@pytest.fixture
def no_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if the request is staged on a copy of the store."""

    def refuse(*_args: object) -> Patch:
        raise AssertionError("a data-only request was staged on a copy of the store")

    monkeypatch.setattr(staging, "_copy_patch", refuse)


@pytest.mark.usefixtures("no_copy")
class TestDataOnly:
    def test_insert_data_adds_what_is_not_there(self) -> None:
        store = _store(_quad("1"))
        text = f'INSERT DATA {{ {SP} "1", "2" . GRAPH <{A.value}> {{ {SP} "3" }} }}'
        patch = patch_for_update(store, text)
        assert _sets(patch) == _sets(Patch(added=(_quad("2"), _quad("3", A))))
        assert len(store) == 1

    def test_delete_data_removes_what_is_there(self) -> None:
        store = _store(_quad("1"), _quad("2", A))
        text = f'DELETE DATA {{ {SP} "1", "9" . GRAPH <{A.value}> {{ {SP} "2" }} }}'
        assert _sets(patch_for_update(store, text)) == _sets(
            Patch(removed=(_quad("1"), _quad("2", A)))
        )

    def test_operations_apply_in_order(self) -> None:
        store = _store(_quad("1"))
        text = (
            f'PREFIX ex: <{EX}>\nINSERT DATA {{ ex:s ex:p "2" }} ;\n'
            'DELETE DATA { ex:s ex:p "2", "1" } ;\nINSERT DATA { ex:s ex:p "1", "3" }'
        )
        assert _sets(patch_for_update(store, text)) == _sets(Patch(added=(_quad("3"),)))

    def test_blank_nodes_get_fresh_labels(self) -> None:
        store = _store(ox.Quad(ox.BlankNode("a"), P, ox.Literal("old")))
        text = (
            f'INSERT DATA {{ _:a <{EX}p> "1" . _:a <{EX}p> "2" }} ;'
            f' INSERT DATA {{ _:c <{EX}p> "3" }}'
        )
        added = sorted(patch_for_update(store, text).added, key=lambda q: q.object.value)
        subjects = [q.subject for q in added]
        assert all(isinstance(s, ox.BlankNode) for s in subjects)
        assert subjects[0] == subjects[1] != subjects[2]
        assert not {ox.BlankNode("a"), ox.BlankNode("c")} & set(subjects)

    def test_a_blank_node_label_is_not_shared_by_two_operations(self) -> None:
        text = f'INSERT DATA {{ _:a <{EX}p> "1" }} ; INSERT DATA {{ _:a <{EX}p> "3" }}'
        with pytest.raises(QuerySyntaxError, match="cannot be shared"):
            patch_for_update(_store(), text)

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param(f'INSERT DATA {{ {SP} "x; DELETE WHERE {{ ?s ?p ?o }}" }}', id="string"),
            pytest.param(f'INSERT DATA {{ {SP} """CLEAR ALL ; \n SERVICE""" }}', id="long-string"),
            pytest.param(
                f'INSERT DATA {{ {SP} "x" }} # ; DROP ALL ; LOAD <http://e/>',
                id="comment",
            ),
            pytest.param(
                f"PREFIX load: <{EX}> PREFIX service: <{EX}>\n"
                'INSERT DATA { load:s service:p "x" }',
                id="keyword-prefixes",
            ),
            pytest.param(f'insert data {{ {SP} "x" }} ;', id="lower-case-and-trailing"),
            pytest.param(f'BASE <{EX}> INSERT DATA {{ <s> <p> "x" }}', id="base"),
        ],
    )
    def test_keywords_only_count_outside_strings_comments_and_names(self, text: str) -> None:
        (quad,) = patch_for_update(_store(), text).added
        assert quad.subject == S
        assert quad.predicate == P

    def test_load_silent_does_nothing(self) -> None:
        text = (
            f'INSERT DATA {{ {SP} "1" }} ;'
            f" LOAD SILENT <http://127.0.0.1:1/x> INTO GRAPH <{A.value}>"
        )
        assert _sets(patch_for_update(_store(), text)) == _sets(Patch(added=(_quad("1"),)))


class TestOnACopy:
    def test_delete_insert_where(self) -> None:
        store = _store(_quad("1"), _quad("2"))
        text = (
            f'DELETE {{ ?s <{EX}p> ?o }} INSERT {{ ?s <{EX}p> "new" }}'
            f' WHERE {{ ?s <{EX}p> "1" ; <{EX}p> ?o }}'
        )
        patch = patch_for_update(store, text)
        assert set(patch.removed) == {_quad("1"), _quad("2")}
        assert patch.added == (_quad("new"),)
        assert len(store) == 2

    def test_drop_and_clear(self) -> None:
        store = _store(_quad("1"), _quad("2", A), _quad("3", B))
        patch = patch_for_update(store, f"DROP GRAPH <{A.value}> ; CLEAR DEFAULT")
        assert set(patch.removed) == {_quad("1"), _quad("2", A)}
        assert patch.added == ()

    def test_an_engine_refusal_is_a_query_error(self) -> None:
        with pytest.raises(QueryEvaluationError):
            patch_for_update(_store(), f"DROP GRAPH <{C.value}>")

    def test_the_default_graph_is_the_stores_own(self) -> None:
        store = _store(_quad("1", A))
        text = f'INSERT {{ ?s <{EX}p> "found" }} WHERE {{ ?s <{EX}p> ?o }}'
        assert _sets(patch_for_update(store, text)) == _sets(Patch())


class TestUsingGraphs:
    STORE = (_quad("1"), _quad("1", A), _quad("2", A), _quad("3", B))

    def test_using_graph_uri_is_the_default_graph_of_where(self) -> None:
        text = f"INSERT {{ GRAPH <{C.value}> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}"
        patch = patch_for_update(_store(*self.STORE), text, using_graphs=[A.value])
        assert set(patch.added) == {_quad("1", C), _quad("2", C)}

    def test_using_named_graph_uri_names_the_graphs_of_where(self) -> None:
        text = f"INSERT {{ GRAPH <{C.value}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
        patch = patch_for_update(_store(*self.STORE), text, using_named_graphs=[B.value])
        assert patch.added == (_quad("3", C),)

    def test_delete_where_takes_using_too(self) -> None:
        patch = patch_for_update(
            _store(*self.STORE), "DELETE WHERE { ?s ?p ?o }", using_graphs=[A.value]
        )
        assert patch.removed == (_quad("1"),)

    def test_every_operation_gets_them(self) -> None:
        text = (
            f"INSERT {{ GRAPH <{C.value}> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }} ;\n"
            f'DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p "2" . ?s ?p ?o }}'
        )
        patch = patch_for_update(_store(*self.STORE), text, using_graphs=[A.value])
        assert set(patch.added) == {_quad("1", C), _quad("2", C)}
        assert patch.removed == (_quad("1"),)

    @pytest.mark.parametrize("clause", ["USING", "USING NAMED", "WITH"])
    def test_they_clash_with_the_updates_own_dataset(self, clause: str) -> None:
        text = (
            f"WITH <{B.value}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}"
            if clause == "WITH"
            else f"DELETE {{ ?s ?p ?o }} {clause} <{B.value}> WHERE {{ ?s ?p ?o }}"
        )
        with pytest.raises(ProtocolError, match="one place only"):
            patch_for_update(_store(*self.STORE), text, using_graphs=[A.value])


class TestRefusals:
    def test_a_syntax_error_has_its_position(self) -> None:
        with pytest.raises(QuerySyntaxError) as caught:
            patch_for_update(_store(), f"INSERT DATA {{\n  {SP} }}")
        assert caught.value.line == 2

    def test_a_query_is_not_an_update(self) -> None:
        with pytest.raises(QuerySyntaxError):
            patch_for_update(_store(), "SELECT * WHERE { ?s ?p ?o }")

    def test_delete_data_allows_no_blank_node(self) -> None:
        with pytest.raises(QuerySyntaxError):
            patch_for_update(_store(), f'DELETE DATA {{ _:b <{EX}p> "1" }}')

    @pytest.mark.parametrize(
        "text",
        [
            "LOAD <http://127.0.0.1:1/data.ttl>",
            f"LOAD <http://127.0.0.1:1/d.ttl> INTO GRAPH <{A.value}>",
        ],
    )
    def test_load_fetches_nothing(self, text: str) -> None:
        with pytest.raises(QueryEvaluationError, match="fetches nothing"):
            patch_for_update(_store(), text)

    def test_service_is_refused(self) -> None:
        text = (
            "INSERT { ?s ?p ?o } WHERE { SERVICE SILENT <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
        )
        with pytest.raises(QueryEvaluationError, match="SERVICE is refused"):
            patch_for_update(_store(), text)

    def test_deep_nesting_is_refused_before_parsing(self) -> None:
        text = "INSERT { ?s ?p ?o } WHERE " + "{" * 300 + "?s ?p ?o" + "}" * 300
        with pytest.raises(QueryTooComplex):
            patch_for_update(_store(), text)

    def test_the_nesting_limit_is_the_services(self) -> None:
        text = "INSERT { ?s ?p ?o } WHERE " + "{" * 12 + "?s ?p ?o" + "}" * 12
        assert not patch_for_update(_store(), text)  # within the default limit
        with pytest.raises(QueryTooComplex, match="10"):
            patch_for_update(_store(), text, max_nesting=10)


def test_operations_are_split_outside_braces_and_strings() -> None:
    text = (
        f'PREFIX ex: <{EX}>\nINSERT DATA {{ ex:s ex:p "a;b" }} ; '
        "DELETE WHERE { ?s ?p ?o } ;\n"
        "WITH ex:g DELETE { ?s ?p ?o } WHERE { ?s ?p ?o } ; CLEAR ALL ;"
    )
    parts = operations(text)
    assert [op.kind for op in parts] == ["INSERT DATA", "DELETE WHERE", "MODIFY", "CLEAR", ""]
    assert text[parts[0].start : parts[0].end] == 'INSERT DATA { ex:s ex:p "a;b" }'
    assert parts[2].prologue == f"PREFIX ex: <{EX}>"


class TestGraphStore:
    def test_put_replaces_the_graph(self) -> None:
        store = _store(_quad("1", A), _quad("2", A), _quad("3", B))
        patch = patch_for_graph(
            store,
            "PUT",
            A.value,
            [ox.Triple(S, P, ox.Literal("2")), ox.Triple(S, P, ox.Literal("4"))],
        )
        assert _sets(patch) == _sets(Patch(removed=(_quad("1", A),), added=(_quad("4", A),)))

    def test_post_adds_what_is_new(self) -> None:
        store = _store(_quad("1"))
        patch = patch_for_graph(store, "POST", None, [_quad("1", B), _quad("2", B)])
        assert _sets(patch) == _sets(Patch(added=(_quad("2"),)))

    def test_delete_removes_the_graph(self) -> None:
        store = _store(_quad("1", A), _quad("3", B))
        assert _sets(patch_for_graph(store, "DELETE", A.value, [])) == _sets(
            Patch(removed=(_quad("1", A),))
        )

    def test_delete_of_a_missing_graph(self) -> None:
        with pytest.raises(GraphNotFound, match=A.value):
            patch_for_graph(_store(_quad("1", A)), "DELETE", C.value, [])

    def test_blank_nodes_of_a_body_are_fresh(self) -> None:
        store = _store(ox.Quad(ox.BlankNode("b1"), P, ox.Literal("old")))
        body = [
            ox.Triple(ox.BlankNode("b1"), P, ox.Literal("new")),
            ox.Triple(ox.BlankNode("b1"), P, ox.Literal("newer")),
        ]
        added = patch_for_graph(store, "POST", None, body).added
        assert added[0].subject == added[1].subject != ox.BlankNode("b1")
