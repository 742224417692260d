"""The shipped graph (ontology, vocabularies, reference data, geography, every document's facts)
conforms to the shapes: no violation.  Warnings ("should") are allowed and listed by
``policygraph validate``."""

from policygraph.validation.report import compact
from policygraph.validation.validator import shipped_graph, shipped_validator


def test_the_shipped_graph_has_no_violation():
    report = shipped_validator().validate(shipped_graph())
    violations = [r for r in report.results if r.severity == "Violation"]
    listing = "\n".join(f"{compact(r.focus_node)} {r.path or '-'}: {r.message('en')} [{compact(r.source_shape)}]"
                        for r in violations[:100])
    assert not violations, f"{len(violations)} violation(s):\n{listing}"
    assert report.conforms
