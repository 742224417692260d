"""Territories: the importer of the official geography (the Code officiel géographique as packaged by
``@etalab/decoupage-administratif``) into ``data/territories/``.

May use: ``policygraph.model``, ``policygraph.errors``.
"""
