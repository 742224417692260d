"""Linked data: what an IRI returns and in which format — the description of a resource (two CONSTRUCT
queries), JSON-LD framing with the shipped context, the collections and their filters, the VoID/DCAT
description of the dataset, the dumps, the ontology documentation, and the data behind the HTML pages.

May use: ``policygraph.store``, ``policygraph.settings``, ``policygraph.model``, ``policygraph.errors``.
Not the web framework: the routes in ``policygraph.web`` call it and turn its answers into HTTP.
"""
