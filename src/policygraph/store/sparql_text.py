"""Just enough SPARQL lexing to see the structure of a request without evaluating it.

The engine (Oxigraph) parses and evaluates; this module only answers questions the service must
settle *before* handing text to an engine:

- which query form it is (to negotiate the result format, SPARQL 1.1 Protocol §2.1);
- whether the query names its own dataset (FROM / FROM NAMED, SPARQL 1.1 Query §13.2), which
  disables the union default graph;
- which endpoints ``SERVICE`` would call (SPARQL 1.1 Federated Query §3) and whether an update
  ``LOAD``\\s a document — both are outbound requests and are refused unless allowed;
- the operations of an update and their parts (SPARQL 1.1 Update §3, grammar rules [29]–[52]),
  so that ``policygraph.store.update_plan`` can compute what each operation adds and removes.

Hand-written rather than rdflib's SPARQL parser, by measurement (``python -m benchmarks.handwritten``):
analysing the 28 named queries takes 5.5 ms here, 511 ms with rdflib's ``parseQuery`` (×92) — and
every request is analysed.  Lexical rules follow SPARQL 1.1 Query §19.8 (terminals): IRIREF, PNAME_LN/NS, BLANK_NODE_LABEL,
VAR1/VAR2, the four STRING forms, LANGTAG, numbers, comments.  Lexing errors are not reported
here: the engine reports them with their position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

from policygraph.errors import QuerySyntaxError

_PN_CHARS_BASE = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d" \
                 "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = (f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})"
             f"(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?")

_TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<comment>#[^\r\n]*)"
    r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    r"|(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
    r'|"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
    r"|'(?:[^'\\\r\n]|\\.)*'"
    r'|"(?:[^"\\\r\n]|\\.)*")'
    rf"|(?P<var>[?$][{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*)"
    rf"|(?P<bnode>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)"
    rf"|(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)"
    r"|(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)"
    r"|(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.*=<>!+\-/|^?$])"
    r"|(?P<other>.)",
    re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int
    depth: int  # number of enclosing { } at the token (a "{" has the depth outside it)

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    depth = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        value = m.group()
        if value == "}":
            depth = max(0, depth - 1)
        tokens.append(Token(kind, value, m.start(), m.end(), depth))
        if value == "{":
            depth += 1
    return tokens


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def decode_codepoint_escapes(text: str) -> str:
    """SPARQL 1.1 Query §19.2: \\u and \\U escapes may appear anywhere and are decoded first.

    Oxigraph decodes them only inside strings and IRIs, other engines (Jena) everywhere; the
    security checks look at both readings so that ``\\u0053ERVICE`` cannot slip through.
    """
    def repl(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group()

    return _ESCAPE.sub(repl, text)


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# -- prologue and IRIs ------------------------------------------------------------------------

@dataclass
class Prologue:
    base: str | None = None
    prefixes: dict[str, str] = field(default_factory=dict)

    def resolve(self, token: Token) -> str | None:
        """Absolute IRI of an IRIREF or prefixed-name token; None if it cannot be resolved."""
        if token.kind == "iri":
            iri = token.text[1:-1]
            if ":" in iri.split("/", 1)[0] and not iri.startswith(":"):
                return iri
            return urljoin(self.base, iri) if self.base else None
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            if prefix not in self.prefixes:
                return None
            return self.prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        return None

    def declare(self, tokens: list[Token], i: int) -> int:
        """Consume a BASE or PREFIX declaration at tokens[i]; the index after it (or i)."""
        t = tokens[i]
        if t.is_word("BASE") and i + 1 < len(tokens) and tokens[i + 1].kind == "iri":
            iri = tokens[i + 1].text[1:-1]
            self.base = urljoin(self.base, iri) if self.base else iri
            return i + 2
        if (t.is_word("PREFIX") and i + 2 < len(tokens) and tokens[i + 1].kind == "pname"
                and tokens[i + 1].text.endswith(":") and tokens[i + 2].kind == "iri"):
            iri = tokens[i + 2].text[1:-1]
            self.prefixes[tokens[i + 1].text[:-1]] = urljoin(self.base, iri) if self.base else iri
            return i + 3
        return i


# -- queries ----------------------------------------------------------------------------------

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class QueryInfo:
    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE; None if not recognised
    has_dataset: bool  # FROM / FROM NAMED in the query
    services: tuple[str | None, ...]  # endpoints of SERVICE clauses (None: a variable or unresolvable)
    unlexable: bool  # a character no SPARQL token starts with

    @property
    def result_kind(self) -> str | None:
        return {"SELECT": "results", "ASK": "results", "CONSTRUCT": "graph", "DESCRIBE": "graph"}.get(
            self.form or "")


def _services(tokens: list[Token], prologue_of) -> list[str | None]:
    found = []
    for i, t in enumerate(tokens):
        if t.is_word("SERVICE"):
            j = i + 1
            if j < len(tokens) and tokens[j].is_word("SILENT"):
                j += 1
            target = tokens[j] if j < len(tokens) else None
            found.append(prologue_of(i).resolve(target) if target is not None else None)
    return found


def _skip_prologue(tokens: list) -> tuple[int, "Prologue"]:
    """Index of the first token after the BASE/PREFIX declarations, and those declarations."""
    prologue = Prologue()
    i = 0
    while i < len(tokens):
        nxt = prologue.declare(tokens, i)
        if nxt == i:
            break
        i = nxt
    return i, prologue


# A request's text is examined several times on its way (format negotiation, the outbound check,
# parameter binding), and a named query's text at every call: lexing it once is most of the
# service's own cost on a fast query.  Only texts of ordinary length are remembered.
_CACHED_TEXT = 16_384


def _remembered(function):
    cached = lru_cache(maxsize=512)(function)
    return lambda text: cached(text) if len(text) <= _CACHED_TEXT else function(text)


@_remembered
def analyze_query(text: str) -> QueryInfo:
    tokens = tokenize(text)
    i, prologue = _skip_prologue(tokens)
    form = tokens[i].text.upper() if i < len(tokens) and tokens[i].is_word(*QUERY_FORMS) else None
    has_dataset = any(t.is_word("FROM") and t.depth == 0 for t in tokens[i:])
    unlexable = any(t.kind == "other" for t in tokens)
    return QueryInfo(form, has_dataset, tuple(_services(tokens, lambda _: prologue)), unlexable)


def outbound_targets(text: str, *, update: bool) -> list[str | None]:
    """Every endpoint or document a request would make the engine fetch (SERVICE, LOAD).

    Both readings of the text (raw, and with codepoint escapes decoded) are examined, and a text
    with characters no token starts with is treated as naming an unknown target if the word
    SERVICE or LOAD appears anywhere: refusing a strange request is cheaper than a blind spot.
    """
    targets: list[str | None] = []
    for variant in {text, decode_codepoint_escapes(text)}:
        if update:
            script = split_update(variant, strict=False)
            targets += script.services + [op.source for op in script.operations if op.kind == "LOAD"]
            unlexable = script.unlexable
        else:
            info = analyze_query(variant)
            targets += info.services
            unlexable = info.unlexable
        if unlexable and re.search(r"(?i)\b(SERVICE|LOAD)\b", variant):
            targets.append(None)
    return targets


# -- updates ----------------------------------------------------------------------------------

@dataclass
class Block:
    """A { … } group: offsets of the braces in the text."""
    start: int  # offset of "{"
    end: int  # offset just after "}"

    def inner(self, text: str) -> str:
        return text[self.start + 1:self.end - 1]

    def outer(self, text: str) -> str:
        return text[self.start:self.end]


@dataclass
class GraphRef:
    """The target of CLEAR/DROP/CREATE/ADD/MOVE/COPY: DEFAULT, NAMED, ALL or an IRI."""
    kind: str  # "DEFAULT", "NAMED", "ALL", "GRAPH"
    iri: str | None = None


@dataclass
class Operation:
    kind: str  # INSERT_DATA, DELETE_DATA, DELETE_WHERE, MODIFY, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY
    start: int
    end: int
    prologue: str  # BASE/PREFIX declarations in force, as text
    prologue_state: Prologue
    silent: bool = False
    with_iri: str | None = None
    delete: Block | None = None
    insert: Block | None = None
    where: Block | None = None
    using: list[str] = field(default_factory=list)
    using_named: list[str] = field(default_factory=list)
    where_keyword: int | None = None  # offset of WHERE in a Modify (to insert USING clauses)
    target: GraphRef | None = None
    source_ref: GraphRef | None = None  # ADD/MOVE/COPY source
    source: str | None = None  # LOAD source IRI


@dataclass
class UpdateScript:
    text: str
    operations: list[Operation]
    services: list[str | None]
    unlexable: bool


def _block(tokens: list[Token], i: int) -> tuple[Block, int]:
    """The { … } starting at tokens[i]; the index after its closing brace."""
    if i >= len(tokens) or tokens[i].text != "{":
        raise _Structure(i)
    depth = tokens[i].depth
    for j in range(i + 1, len(tokens)):
        if tokens[j].text == "}" and tokens[j].depth == depth:
            return Block(tokens[i].start, tokens[j].end), j + 1
    raise _Structure(i)


class _Structure(Exception):
    def __init__(self, index: int):
        self.index = index


def split_update(text: str, *, strict: bool = True) -> UpdateScript:
    """Split a SPARQL Update request into its operations (SPARQL 1.1 Update grammar [29]).

    With ``strict``, a request whose structure is not recognised raises QuerySyntaxError; the
    engine has normally rejected such a request already, with a better message.
    """
    tokens = tokenize(text)
    prologue = Prologue()
    prologue_text: list[str] = []
    operations: list[Operation] = []
    services: list[str | None] = []
    i = 0
    while i < len(tokens):
        # Declarations may precede each operation and stay in force for the next ones.
        while i < len(tokens):
            nxt = prologue.declare(tokens, i)
            if nxt == i:
                break
            prologue_text.append(text[tokens[i].start:tokens[nxt - 1].end])
            i = nxt
        if i >= len(tokens):
            break
        snapshot = Prologue(prologue.base, dict(prologue.prefixes))
        try:
            op, i = _operation(text, tokens, i, snapshot, "\n".join(prologue_text))
        except _Structure as exc:
            if not strict:
                # Still report SERVICE/LOAD targets of what could not be structured.
                services += _services(tokens[i:], lambda _: snapshot)
                return UpdateScript(text, operations, services, True)
            at = tokens[min(exc.index, len(tokens) - 1)].start if tokens else 0
            line, column = position(text, at)
            raise QuerySyntaxError("unrecognised update operation", line=line, column=column) from None
        operations.append(op)
        services += _services(tokens[_index_at(tokens, op.start):i], lambda _: snapshot)
        if i < len(tokens):
            if tokens[i].text != ";":
                if not strict:
                    return UpdateScript(text, operations, services, True)
                line, column = position(text, tokens[i].start)
                raise QuerySyntaxError("expected ';' between update operations", line=line, column=column)
            i += 1
    return UpdateScript(text, operations, services, any(t.kind == "other" for t in tokens))


def _index_at(tokens: list[Token], offset: int) -> int:
    return next(k for k, t in enumerate(tokens) if t.start >= offset)


def _graph_ref(tokens, i, prologue, allowed) -> tuple[GraphRef, int]:
    t = tokens[i] if i < len(tokens) else None
    if t is None:
        raise _Structure(i)
    for word in ("DEFAULT", "NAMED", "ALL"):
        if word in allowed and t.is_word(word):
            return GraphRef(word), i + 1
    if t.is_word("GRAPH"):
        i += 1
        t = tokens[i] if i < len(tokens) else None
    elif "BARE" not in allowed:
        raise _Structure(i)
    iri = prologue.resolve(t) if t is not None else None
    if iri is None:
        raise _Structure(i)
    return GraphRef("GRAPH", iri), i + 1


def _operation(text, tokens, i, prologue, prologue_text) -> tuple[Operation, int]:
    start = tokens[i].start
    t = tokens[i]

    def op(kind, **kw):
        return Operation(kind, start, tokens[j - 1].end, prologue_text, prologue, **kw)

    def iri_at(k):
        if k >= len(tokens):
            raise _Structure(k)
        iri = prologue.resolve(tokens[k])
        if iri is None:
            raise _Structure(k)
        return iri

    def silent_at(k):
        return (True, k + 1) if k < len(tokens) and tokens[k].is_word("SILENT") else (False, k)

    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if t.is_word("INSERT", "DELETE") and nxt is not None and nxt.is_word("DATA"):
        block, j = _block(tokens, i + 2)
        kind = "INSERT_DATA" if t.is_word("INSERT") else "DELETE_DATA"
        return op(kind, insert=block if kind == "INSERT_DATA" else None,
                  delete=block if kind == "DELETE_DATA" else None), j
    if t.is_word("DELETE") and nxt is not None and nxt.is_word("WHERE"):
        block, j = _block(tokens, i + 2)
        return op("DELETE_WHERE", delete=block, where=block), j
    if t.is_word("WITH", "INSERT", "DELETE"):
        with_iri = None
        j = i
        if t.is_word("WITH"):
            with_iri = iri_at(i + 1)
            j = i + 2
        delete = insert = None
        if j < len(tokens) and tokens[j].is_word("DELETE"):
            delete, j = _block(tokens, j + 1)
        if j < len(tokens) and tokens[j].is_word("INSERT"):
            insert, j = _block(tokens, j + 1)
        if delete is None and insert is None:
            raise _Structure(j)
        using, using_named = [], []
        while j < len(tokens) and tokens[j].is_word("USING"):
            if j + 1 < len(tokens) and tokens[j + 1].is_word("NAMED"):
                using_named.append(iri_at(j + 2))
                j += 3
            else:
                using.append(iri_at(j + 1))
                j += 2
        if j >= len(tokens) or not tokens[j].is_word("WHERE"):
            raise _Structure(j)
        where_keyword = tokens[j].start
        where, j = _block(tokens, j + 1)
        return op("MODIFY", with_iri=with_iri, delete=delete, insert=insert, where=where,
                  using=using, using_named=using_named, where_keyword=where_keyword), j
    if t.is_word("LOAD"):
        silent, j = silent_at(i + 1)
        source = iri_at(j)
        j += 1
        target = None
        if j < len(tokens) and tokens[j].is_word("INTO"):
            target, j = _graph_ref(tokens, j + 1, prologue, ())
        return op("LOAD", silent=silent, source=source, target=target), j
    if t.is_word("CLEAR", "DROP"):
        silent, j = silent_at(i + 1)
        target, j = _graph_ref(tokens, j, prologue, ("DEFAULT", "NAMED", "ALL"))
        return op(t.text.upper(), silent=silent, target=target), j
    if t.is_word("CREATE"):
        silent, j = silent_at(i + 1)
        target, j = _graph_ref(tokens, j, prologue, ())
        return op("CREATE", silent=silent, target=target), j
    if t.is_word("ADD", "MOVE", "COPY"):
        silent, j = silent_at(i + 1)
        source_ref, j = _graph_ref(tokens, j, prologue, ("DEFAULT", "BARE"))
        if j >= len(tokens) or not tokens[j].is_word("TO"):
            raise _Structure(j)
        target, j = _graph_ref(tokens, j + 1, prologue, ("DEFAULT", "BARE"))
        return op(t.text.upper(), silent=silent, source_ref=source_ref, target=target), j
    raise _Structure(i)


def graph_blocks(text: str, block: Block) -> tuple[str, list[tuple[Token, Block]]]:
    """Split a quad template into its default-graph part and its GRAPH … { … } blocks.

    Returns the template text with the GRAPH blocks cut out, and (graph token, block) pairs.
    (SPARQL 1.1 Update grammar [50] Quads: TriplesTemplate? ( QuadsNotTriples '.'? TriplesTemplate? )*.)
    """
    inner_start = block.start + 1
    tokens = [t for t in tokenize(text[:block.end - 1]) if t.start >= inner_start]
    if not tokens:
        return "", []
    depth = tokens[0].depth
    pieces, graphs, cursor, k = [], [], inner_start, 0
    while k < len(tokens):
        t = tokens[k]
        if t.depth == depth and t.is_word("GRAPH") and k + 2 < len(tokens) and tokens[k + 2].text == "{":
            sub, after = _block(tokens, k + 2)
            pieces.append(text[cursor:t.start])
            graphs.append((tokens[k + 1], sub))
            cursor = sub.end
            k = after
            continue
        k += 1
    pieces.append(text[cursor:block.end - 1])
    return " ".join(p.strip() for p in pieces if p.strip()), graphs


def inline_values(query: str, bindings: dict[str, str]) -> str:
    """Bind variables with a VALUES block opening the query's WHERE group (SPARQL 1.1 Query §10.2.1).

    This is how a named query's parameters reach an external triplestore, which has no equivalent
    of pyoxigraph's ``substitutions=`` — which, besides, refuses variables missing from the SELECT
    projection.  It is term binding, not text pasting: each value is the
    N-Triples form (``str()``) of a pyoxigraph term that was built and validated from the
    parameter — IRIs with their code points checked, literals with ``"``, ``\\`` and line breaks
    escaped (RDF 1.1 N-Triples §2.4) — so the SPARQL parser reads exactly one RDF term per value,
    whatever characters the parameter contained.  Placed first in the WHERE group, the bindings
    constrain the whole group, as a substitution does.
    """
    if not bindings:
        return query
    at = _where_group_start(query)
    names = list(bindings)
    values = (f" VALUES ({' '.join('?' + n for n in names)}) "
              f"{{ ({' '.join(bindings[n] for n in names)}) }} ")
    return query[:at] + values + query[at:]


@_remembered
def _where_group_start(query: str) -> int:
    """Offset just inside the ``{`` of the query's WHERE group."""
    tokens = tokenize(query)
    i, _ = _skip_prologue(tokens)
    if i >= len(tokens) or not tokens[i].is_word(*QUERY_FORMS):
        raise QuerySyntaxError("cannot find the query form to bind parameters in")
    k = i + 1
    if tokens[i].is_word("CONSTRUCT") and k < len(tokens) and tokens[k].text == "{":
        k = _block(tokens, k)[1]
    group = next((t for t in tokens[k:] if t.text == "{" and t.depth == 0), None)
    if group is None:
        raise QuerySyntaxError("the query has no WHERE group to bind parameters in")
    return group.end
