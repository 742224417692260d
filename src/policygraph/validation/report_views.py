"""The renderings of a change's validation report, chosen by ``Accept`` and ``Accept-Language``.

=========================  ===========================================================
``application/json``       the plain summary (``ChangeValidation.summary``), the default
``text/turtle``            the ``sh:ValidationReport`` (https://www.w3.org/TR/shacl/#validation-report)
``application/ld+json``    the same report in JSON-LD
``text/html``              a page for people (rendered by the API with ``validation.html``)
``text/plain``             the terminal text of ``policygraph validate``
=========================  ===========================================================

Messages, labels and headings are in French or English: the best of the two by the q-values of
``Accept-Language`` (RFC 9110 §12.5.4), French when the client states no preference.
"""

from __future__ import annotations

import json

from policygraph.model import formats
from policygraph.validation.incremental import ChangeValidation
from policygraph.validation.report import LANGUAGES

SUMMARY = formats.Format("json", "application/json", "report", ("json",))
TURTLE = formats.Format("turtle", "text/turtle", "report", ("ttl",), names=("ttl",))
JSON_LD = formats.Format("jsonld", "application/ld+json", "report", ("jsonld",), names=("json-ld",), text=False)
HTML = formats.Format("html", "text/html", "report", ("html",))
TEXT = formats.Format("text", "text/plain", "report", ("txt",), names=("txt",))
REPORT_FORMATS = (SUMMARY, TURTLE, JSON_LD, HTML, TEXT)


def choose(accept: str | None, format_param: str | None = None) -> formats.Format:
    return formats.choose(accept, format_param, REPORT_FORMATS, what="a validation report")


def language(accept_language: str | None) -> str:
    """``fr`` or ``en``: the one the client weighs most; ``fr`` on a tie, a wildcard or no header."""
    best, best_q = "fr", 0.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        try:
            q = float(params.strip()[2:]) if params.strip().startswith("q=") else 1.0
        except ValueError:
            q = 0.0
        primary = tag.split("-")[0]
        if primary in LANGUAGES and q > best_q:
            best, best_q = primary, q
    return best


def render(validation: ChangeValidation, fmt: formats.Format, lang: str) -> bytes:
    """Every format but HTML (which needs the request for its links)."""
    if fmt is SUMMARY:
        return json.dumps(validation.summary(lang), ensure_ascii=False, indent=2).encode()
    if fmt is TURTLE:
        return validation.report.to_graph().serialize(format="turtle", encoding="utf-8")
    if fmt is JSON_LD:
        return validation.report.to_graph().serialize(format="json-ld", encoding="utf-8")
    if fmt is TEXT:
        return (validation.report.to_text(lang) + _resolved_text(validation, lang)).encode()
    raise ValueError(f"render {fmt.name} with the HTML template")


def _resolved_text(validation: ChangeValidation, lang: str) -> str:
    if not validation.resolved:
        return ""
    head = ("Résultats que la modification fait disparaître : {}" if lang == "fr"
            else "Results the change resolves: {}").format(len(validation.resolved))
    return "\n" + head + "\n" + "".join(f"  {r.severity}  {r.focus_node}  {r.message(lang)}\n"
                                        for r in validation.resolved)


WORDS = {
    "fr": {"title": "Rapport de validation", "conforms": "La modification est conforme : elle peut être enregistrée.",
           "fails": "La modification n'est pas conforme : elle ne peut pas être enregistrée.",
           "warnings": "Les avertissements n'empêchent pas l'enregistrement ; seules les violations le bloquent.",
           "focus": "ressource", "path": "chemin", "value": "valeur", "severity": "gravité", "message": "message",
           "shape": "forme", "resolved": "Résultats que la modification fait disparaître",
           "none": "Aucun résultat : la modification n'ajoute ni violation ni avertissement.",
           "Violation": "Violation", "Warning": "Avertissement", "Info": "Information",
           "checked": "Vérifié : {focus} nœud(s) cible(s) sur un sous-graphe de {triples} triplet(s), mode {mode}, {seconds} s."},
    "en": {"title": "Validation report", "conforms": "The change conforms: it can be committed.",
           "fails": "The change does not conform: it cannot be committed.",
           "warnings": "Warnings do not prevent a commit; only violations block it.",
           "focus": "resource", "path": "path", "value": "value", "severity": "severity", "message": "message",
           "shape": "shape", "resolved": "Results the change resolves",
           "none": "No results: the change adds no violation and no warning.",
           "Violation": "Violation", "Warning": "Warning", "Info": "Info",
           "checked": "Checked: {focus} focus node(s) on a sub-graph of {triples} triple(s), {mode} mode, {seconds} s."},
}
