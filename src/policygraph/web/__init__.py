"""The web edge: the FastAPI application, its routes (``routes/``), its HTML templates and static files,
and ``policygraph serve``. The only package that imports FastAPI or Starlette.

May use every package below it: ``steward``, ``linked_data``, ``queries``, ``validation``, ``store``,
``settings``, ``model``, ``errors``.
"""
