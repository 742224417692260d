"""The researcher's named queries: the ``queries/*.rq`` catalogue, their typed parameters, and running
them through the store.

May use: ``policygraph.store``, ``policygraph.settings``, ``policygraph.model``, ``policygraph.errors``.
"""
