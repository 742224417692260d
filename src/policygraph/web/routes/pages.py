"""Server-rendered HTML (Jinja2, autoescaped): the query page and the named-query pages. No JavaScript."""

from __future__ import annotations

from functools import lru_cache

from fastapi import Request
from jinja2 import Environment, PackageLoader, select_autoescape


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("policygraph.web", "templates"),
                       autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def render(template: str, request: Request, **context) -> str:
    return _environment().get_template(template).render(request=request, root=request.scope.get("root_path", ""),
                                                        **context)
