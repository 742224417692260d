"""Answering with a validation report, as the client asks (``policygraph.validation.report_views``)."""

from __future__ import annotations

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from policygraph.validation import report_views
from policygraph.validation.incremental import ChangeValidation
from policygraph.validation.report import compact
from policygraph.web.routes.pages import render


def negotiated(request: Request):
    """(format, language) of the report this request asks for."""
    fmt = report_views.choose(request.headers.get("accept"), request.query_params.get("format"))
    return fmt, report_views.language(request.headers.get("accept-language"))


def report_response(request: Request, validation: ChangeValidation, *, status: int = 200,
                    error: dict | None = None) -> Response:
    """The report in the negotiated format; as JSON, inside the error shape when ``error`` is given
    (``{"error": {…, "report": summary}}``), so that a 422 reads like every other error."""
    fmt, lang = negotiated(request)
    headers = {"Vary": "Accept, Accept-Language", "Content-Language": lang,
               "X-Conforms": "true" if validation.conforms else "false"}
    if fmt is report_views.SUMMARY and error is not None:
        body = {"error": {**error, "report": validation.summary(lang)}}
        return JSONResponse(body, status_code=status, headers=headers)
    if fmt is report_views.HTML:
        words = report_views.WORDS[lang]
        checked = words["checked"].format(focus=validation.focus_nodes, triples=validation.triples,
                                          mode=validation.mode, seconds=round(sum(validation.timings.values()), 3))
        body = render("validation.html", request, report=validation.report, resolved=validation.resolved,
                      words=words, lang=lang, compact=compact, checked=checked)
        return Response(body, status_code=status, media_type=fmt.content_type, headers=headers)
    return Response(report_views.render(validation, fmt, lang), status_code=status, media_type=fmt.content_type,
                    headers=headers)
