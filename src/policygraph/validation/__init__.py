"""Validation: the SHACL shapes applied to data — in full (pySHACL), incrementally (a change against
the current graph, at a cost proportional to the change), to files (``policygraph validate``) — the
validation reports and their renderings (fr/en), and the SHACL write guard the store calls on every write.

May use: ``policygraph.store`` (the write-guard interface and read views), ``policygraph.settings``,
``policygraph.model``, ``policygraph.errors``.
"""
