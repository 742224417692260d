"""Write guards for the store tests (POLICYGRAPH_WRITE_GUARD=store_guards:…)."""

from policygraph.store.write_guard import GuardResult

SEEN = []


def refuse_all(view, added, removed, *, steward=None):
    SEEN.append((len(added), len(removed), steward))
    return GuardResult(False, "refused by the test guard")


def record(view, added, removed, *, steward=None):
    # The view shows the store before the change.
    SEEN.append((sorted(map(str, (q[0] for q in added))), view.query("ASK { GRAPH ?g { ?s ?p ?o } }"), steward))
    return GuardResult(True)
