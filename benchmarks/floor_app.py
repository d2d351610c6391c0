"""The reference floor: a Flask app that answers every request with a constant.

Whatever the HTTP server and Flask cost, and nothing else. ``bench_scale.py`` runs it
under the same servers as nkgraph, so ratios to it say how much the request path and the
query add.
"""

from __future__ import annotations

from flask import Flask, Response

app = Flask(__name__)

_BODY = b'{"head":{},"boolean":true}'


@app.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    return Response(_BODY, mimetype="application/sparql-results+json")
