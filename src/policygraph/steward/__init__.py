"""The data steward's workflow: steward tokens, change sets (what a steward submits), and the change
log (committing a validated change with its PROV record, listing and reverting changes).

May use: ``policygraph.validation`` (incremental validation of a change), ``policygraph.store``,
``policygraph.settings``, ``policygraph.model``, ``policygraph.errors``.
"""
