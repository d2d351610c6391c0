"""The article as data: loading RDF files, the text layer, anchors, derived graphs."""
