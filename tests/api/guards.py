"""A write guard for the tests (POLICYGRAPH_WRITE_GUARD=guards:refuse_marked).

It refuses any change that adds a triple with the predicate FORBIDDEN — standing in for a SHACL
violation — and accepts everything else, so that the refusal path (422, nothing written) is tested
end to end without depending on the shapes.
"""

from policygraph.store.write_guard import GuardResult

FORBIDDEN = "urn:policygraph-test:forbidden"


def refuse_marked(view, added, removed, *, steward=None):
    bad = [q for q in added if str(q[1]) == FORBIDDEN]
    if bad:
        return GuardResult(False, f"{len(bad)} triple(s) use the forbidden predicate <{FORBIDDEN}> "
                                  f"(change by {steward})")
    return GuardResult(True)
