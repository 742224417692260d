"""The HTML page of a resource, as data for the template: readable by someone who does not know RDF.

From a ``Description`` (``policygraph.linked_data.describe``) it builds a ``Page``: a title, the kind of thing,
the key facts in a sensible order, then sections — for a contract: parties, axes with their
measures, money by funder, amendments, projects; for a territory: the contracts that cover it and
what it contains; for an actor: its commitments; for every resource: the source passages and the
links to it.  Every resource mentioned is a link to this server's page for it (``IriSpace.local``).

Labels of classes and properties come from the ontology in the store (``VocabularyLabels``), in
English, the language of the interface; values are shown as the sources state them (French).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from policygraph.linked_data.addressing import IriSpace
from policygraph.linked_data.describe import Description, natural_key
from policygraph.linked_data.framing import RDF_TYPE
from policygraph.model.namespaces import ONTOLOGY_GRAPH

PG = "https://w3id.org/policygraph/def#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"

EXTERNAL_LABELS = {
    SKOS + "prefLabel": "label", SKOS + "altLabel": "also called", SKOS + "definition": "definition",
    SKOS + "notation": "notation", SKOS + "inScheme": "in scheme", SKOS + "topConceptOf": "top concept of",
    SKOS + "broader": "broader", SKOS + "narrower": "narrower", SKOS + "closeMatch": "close match",
    SKOS + "exactMatch": "exact match", RDFS + "label": "label", RDFS + "comment": "comment",
    RDFS + "seeAlso": "see also", PROV + "wasDerivedFrom": "derived from", PROV + "atLocation": "at location",
    PROV + "wasAssociatedWith": "associated with", PROV + "wasAttributedTo": "attributed to",
    DCT + "title": "title", DCT + "description": "description", DCT + "license": "licence", DCT + "source": "source",
    DCT + "identifier": "identifier", DCT + "publisher": "publisher", DCT + "contributor": "contributor",
    DCT + "issued": "issued", DCT + "tableOfContents": "table of contents", RDF_TYPE: "type",
}

# Facts first, in this order (the properties of each kind of resource rarely overlap).
FACT_ORDER = [PG + n for n in (
    "kind", "status", "startYear", "endYear", "startDate", "endDate", "durationYears", "signatureDate",
    "signatureYear", "signaturePlace", "signaturePlaceName", "signedInPresenceOf", "scope", "amends", "amendedBy",
    "implements", "implementedBy", "renews", "succeeds", "succeededBy", "totalAmount", "currency",
    "actor", "role", "commitsTo", "amount", "amountQualifier", "frequency", "recipient", "signedBy", "shareOf",
    "number", "order", "inContract", "axisOf", "parentAxis", "inAxis", "objectiveOf", "inObjective", "underContract",
    "underKind", "carriedBy", "location", "inseeCode", "qpvCode", "siren", "postalCode", "population",
    "totalPopulation", "millesime", "directlyWithin", "within", "contains", "chefLieu", "overlaps",
    "financingMode", "legalStatus", "epciType", "validIn", "acronym", "governs", "partOfOrganization",
    "holder", "post", "postIn", "attestedOn", "quantity", "value", "referenceYear", "figureOf", "inTerritory",
    "inDocument", "lineStart", "lineEnd", "quote", "fileName", "date", "eventKind", "eventOf", "bodyKind",
    "bodyOf", "animatedBy", "member", "meetingFrequency", "indicatorOf", "indicatorCategory",
    "objective", "description", "note", "theme", "policy", "references", "issuedBy", "nameInSource")]
_ORDER = {iri: i for i, iri in enumerate(FACT_ORDER)}
# Shown elsewhere on the page (title, kind, sources), not among the facts.
NOT_FACTS = {RDF_TYPE, SKOS + "prefLabel", PG + "statedIn"}
MONEY = {PG + "amount", PG + "totalAmount"}
QUIET_TYPES = {SKOS + "Concept", PROV + "Entity"}  # too general to be worth a word on the page


class VocabularyLabels:
    """English (else French) labels of the ontology's classes and properties, read from the store."""

    QUERY = f"""SELECT ?t ?l WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{
      ?t <{RDFS}label> ?l FILTER(LANGMATCHES(LANG(?l), "en") || LANGMATCHES(LANG(?l), "fr")) }} }}"""

    def __init__(self, labels: dict[str, dict[str, str]]):
        self.labels = labels

    @classmethod
    def load(cls, store) -> "VocabularyLabels":
        labels: dict[str, dict[str, str]] = {}
        for row in store.select_json(cls.QUERY):
            labels.setdefault(row["t"].value, {})[row["l"].language or ""] = row["l"].value
        return cls(labels)

    def get(self, iri: str) -> str:
        found = self.labels.get(iri)
        if found:
            return found.get("en") or found.get("fr") or next(iter(found.values()))
        if iri in EXTERNAL_LABELS:
            return EXTERNAL_LABELS[iri]
        return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass
class Value:
    text: str
    href: str | None = None
    lang: str | None = None
    hint: str | None = None  # a datatype or a kind, in small print
    block: bool = False  # a long text


@dataclass
class Fact:
    label: str
    values: list[Value]


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Value | list[Value] | None]]
    footer: list[Value | None] | None = None


@dataclass
class Card:
    title: Value
    kind: str
    facts: list[Fact] = field(default_factory=list)
    sections: list["Section"] = field(default_factory=list)
    sources: list[Value] = field(default_factory=list)


@dataclass
class Section:
    title: str
    cards: list[Card] = field(default_factory=list)
    table: Table | None = None
    links: list[Value] = field(default_factory=list)
    note: str | None = None
    anchor: str | None = None


@dataclass
class Page:
    title: str
    iri: str
    url: str
    kinds: list[str]
    subtitle: list[Value]
    facts: list[Fact]
    sections: list[Section]
    sources: Table | None
    alternates: list[tuple[str, str, str]]  # (url, format name, media type)
    queries: list[tuple[str, str]]  # (SPARQL text, URL running it on this server's endpoint)
    lang: str | None = None


class PageBuilder:
    def __init__(self, description: Description, space: IriSpace, vocab: VocabularyLabels):
        self.d = description
        self.space = space
        self.vocab = vocab
        self.root = description.node

    # -- labels ---------------------------------------------------------------------------------

    def _literals(self, term, predicate: str) -> list[ox.Literal]:
        return [o for o in self.d.values(term, predicate) if isinstance(o, ox.Literal)]

    def best_text(self, term, *predicates: str) -> ox.Literal | None:
        for predicate in predicates:
            found = self._literals(term, predicate)
            for lang in ("fr", "en", "", None):
                for lit in found:
                    if lang is None or (lit.language or "") == lang:
                        return lit
        return None

    def label(self, term) -> tuple[str, str | None]:
        """(text, language) naming a resource on the page."""
        lit = self.best_text(term, SKOS + "prefLabel", RDFS + "label", DCT + "title")
        if lit is not None:
            return lit.value, lit.language or None
        types = {o.value for o in self.d.values(term, RDF_TYPE)}
        if PG + "Passage" in types or self.d.values(term, PG + "inDocument"):
            start, end = self._literals(term, PG + "lineStart"), self._literals(term, PG + "lineEnd")
            if start and end:
                return f"lines {start[0].value}–{end[0].value}", None
        actor = self.d.values(term, PG + "actor")
        if actor:
            kind = self.kind_label(term) or "commitment"
            return f"{kind} — {self.label(actor[0])[0]}", None
        quantity, value = self.d.values(term, PG + "quantity"), self._literals(term, PG + "value")
        if quantity and value:
            return f"{self.label(quantity[0])[0]}: {format_number(value[0].value)}", None
        holder, post = self.d.values(term, PG + "holder"), self.d.values(term, PG + "post")
        if holder or post:
            return ", ".join(self.label(x[0])[0] for x in (holder, post) if x), None
        epci_type = self.d.values(term, PG + "epciType")
        if epci_type:
            year = self._literals(term, PG + "validIn")
            return f"{self.label(epci_type[0])[0]}" + (f" ({year[0].value})" if year else ""), None
        number = self._literals(term, PG + "number") or self._literals(term, SKOS + "notation")
        if number:
            return f"{self.kind_label(term) or ''} {number[0].value}".strip(), None
        return short_name(term.value), None

    def kind_label(self, term) -> str:
        kinds = [self.vocab.get(o.value) for o in self.d.values(term, RDF_TYPE)
                 if isinstance(o, ox.NamedNode) and o.value not in QUIET_TYPES]
        specific = [k for k in kinds if ":" not in k]
        return ", ".join(sorted(set(specific or kinds)))

    def link(self, term) -> Value:
        if isinstance(term, ox.BlankNode):
            return Value("(anonymous node)")
        text, lang = self.label(term)
        return Value(text, self.space.local(term.value), lang, self.kind_label(term) or None)

    def value(self, predicate: str, obj) -> Value:
        if not isinstance(obj, ox.Literal):
            return self.link(obj)
        datatype = obj.datatype.value
        if predicate in MONEY or predicate == PG + "value":
            return Value(format_number(obj.value))
        if datatype == XSD + "integer" and predicate in (PG + "population", PG + "totalPopulation"):
            return Value(format_number(obj.value))
        long = len(obj.value) > 160
        hint = None
        if datatype not in (XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"):
            hint = {XSD + "gYear": "year", XSD + "date": "date", XSD + "gYearMonth": "month"}.get(datatype)
        return Value(obj.value, None, obj.language or None, hint, long)

    # -- facts ----------------------------------------------------------------------------------

    def facts(self, term, *, nested: set = frozenset()) -> list[Fact]:
        """The facts of a resource; ``nested``: objects shown in sections below it, not repeated here."""
        grouped: dict[str, list] = {}
        for p, o in self.d.out.get(term, ()):
            if p.value in NOT_FACTS or o in nested:
                continue
            if term != self.root and o == self.root:
                continue  # a part pointing back to the page's resource: obvious on the page
            grouped.setdefault(p.value, []).append(o)
        facts = []
        for predicate in sorted(grouped, key=lambda p: (_ORDER.get(p, len(_ORDER)), self.vocab.get(p))):
            objects = grouped[predicate]
            values = [self.value(predicate, o) for o in sorted(objects, key=_object_key)]
            if predicate == PG + "amount":
                currency = self._literals(term, PG + "currency")
                if currency:
                    values = [Value(f"{v.text} {currency[0].value}") for v in values]
            facts.append(Fact(self.vocab.get(predicate), values))
        return [f for f in facts if f.label != "currency" or not self._literals(term, PG + "amount")]

    def sources(self, term) -> list[Value]:
        passages = sorted(self.d.values(term, PG + "statedIn"), key=lambda t: natural_key(t.value))
        return [Value(f"{self.document_label(p, short=True)}, {self.label(p)[0]}", self.space.local(p.value))
                for p in passages]

    def document_label(self, passage, short: bool = False) -> str:
        docs = self.d.values(passage, PG + "inDocument")
        if not docs:
            return "source"
        if short:
            return "document " + docs[0].value.rsplit("/", 1)[-1][:3]
        return self.label(docs[0])[0]

    # -- sections -------------------------------------------------------------------------------

    def types(self, term) -> set[str]:
        return {o.value for o in self.d.values(term, RDF_TYPE)}

    def commitments_table(self, commitments: list, *, with_target: bool) -> Table:
        if with_target:  # a column of the page's own resource on every row says nothing
            with_target = any(t != self.root for c in commitments for t in self.d.values(c, PG + "commitsTo"))
        with_actor = any(a != self.root for c in commitments for a in self.d.values(c, PG + "actor"))
        columns = (["kind"] + (["actor"] if with_actor else []) + ["role"] + (["to"] if with_target else [])
                   + ["amount", "signed by", "source"])
        rows = []
        for c in sorted(commitments, key=lambda t: (self.label(self.d.values(t, PG + "actor")[0])[0]
                                                    if self.d.values(t, PG + "actor") else "", t.value)):
            row: list = [Value(self.kind_label(c) or "commitment", self.space.local(c.value))]
            if with_actor:
                row.append([self.link(a) for a in self.d.values(c, PG + "actor")])
            row.append([self.link(r) for r in self.d.values(c, PG + "role")])
            if with_target:
                row.append([self.link(t) for t in self.d.values(c, PG + "commitsTo")])
            row.append(self.amount(c))
            row.append([self.link(h) for h in self.d.values(c, PG + "signedBy")])
            row.append(self.sources(c))
            rows.append(row)
        return without_empty_columns(Table(columns, rows))

    def amount(self, term) -> list[Value]:
        amounts = self._literals(term, PG + "amount")
        currency = self._literals(term, PG + "currency")
        qualifier = self.d.values(term, PG + "amountQualifier")
        text = [f"{format_number(a.value)} {currency[0].value if currency else ''}".strip() for a in amounts]
        return [Value(t, hint=self.label(qualifier[0])[0] if qualifier else None) for t in text]

    def money_by_funder(self, commitments: list) -> Table | None:
        funding = [c for c in commitments if self._literals(c, PG + "amount")]
        if not funding:
            return None
        by_actor: dict = {}
        for c in funding:
            for actor in self.d.values(c, PG + "actor") or [None]:
                by_actor.setdefault(actor, []).append(c)
        rows = []
        grand: dict[str, Decimal] = {}
        for actor, items in sorted(by_actor.items(), key=lambda kv: self.label(kv[0])[0] if kv[0] else ""):
            totals: dict[str, Decimal] = {}
            approximate = False
            details = []
            for c in items:
                currency = (self._literals(c, PG + "currency") or [ox.Literal("")])[0].value
                for a in self._literals(c, PG + "amount"):
                    try:
                        totals[currency] = totals.get(currency, Decimal(0)) + Decimal(a.value)
                    except InvalidOperation:
                        continue
                qualifiers = [q.value.rsplit("/", 1)[-1] for q in self.d.values(c, PG + "amountQualifier")]
                approximate |= any(q != "exact" for q in qualifiers)
                targets = self.d.values(c, PG + "commitsTo")
                details.extend(Value(f"{amount.text}" + (f" → {self.label(targets[0])[0]}" if targets else ""),
                                     self.space.local(c.value), hint=amount.hint) for amount in self.amount(c))
            for cur, total in totals.items():
                grand[cur] = grand.get(cur, Decimal(0)) + total
            total_text = "; ".join(f"{format_number(str(t))} {cur}".strip() for cur, t in totals.items())
            rows.append([self.link(actor) if actor else Value("(unknown)"),
                         Value(total_text, hint="includes approximate amounts" if approximate else None), details])
        footer = [Value("all funders"), Value("; ".join(f"{format_number(str(t))} {c}".strip()
                                                        for c, t in grand.items())), None]
        return Table(["funder", "stated amounts, summed", "commitments"], rows, footer)

    def card(self, term, children: dict) -> Card:
        card = Card(self.link(term), self.kind_label(term), self.facts(term, nested=nested_parts(term, children)),
                    [], self.sources(term))
        card.sections = self.child_sections(term, children)
        return card

    def child_sections(self, term, children: dict, *, shown: set = frozenset()) -> list[Section]:
        """Sections for the parts nested under ``term`` (axes, measures, commitments…), except ``shown``."""
        sections = []
        for predicate, direction, kids in children.get(term, ()):
            kids = [k for k in kids if k not in shown]
            if not kids:
                continue
            title = GROUP_TITLES.get((predicate, direction)) or self.vocab.get(predicate)
            if direction == "in" and predicate == PG + "commitsTo":
                sections.append(Section(title, table=self.commitments_table(kids, with_target=False)))
            elif direction == "in" and predicate == PG + "inDocument":
                sections.append(Section(title, table=self.passages_table(kids)))
            else:
                sections.append(Section(title, cards=[self.card(k, children) for k in kids]))
        return sections

    def passages_table(self, passages: list) -> Table:
        rows = []
        for p in sorted(passages, key=lambda t: _line_key(self, t)):
            quote = self._literals(p, PG + "quote")
            rows.append([Value(self.label(p)[0], self.space.local(p.value)),
                         Value(quote[0].value if quote else "", block=True)])
        return Table(["lines", "quote"], rows)


GROUP_TITLES = {
    (PG + "hasAxis", "out"): "Axes and measures", (PG + "axisOf", "in"): "Axes and measures",
    (PG + "parentAxis", "in"): "Sub-axes", (PG + "objectiveOf", "in"): "Objectives",
    (PG + "inAxis", "in"): "Measures", (PG + "inContract", "in"): "Measures and objectives outside the axes",
    (PG + "inObjective", "in"): "Measures", (PG + "commitsTo", "in"): "Commitments",
    (PG + "shareOf", "in"): "Shares", (PG + "hasShare", "out"): "Shares", (PG + "bodyOf", "in"): "Governance",
    (PG + "eventOf", "in"): "Events", (PG + "indicatorOf", "in"): "Indicators", (PG + "figureOf", "in"): "Figures",
    (PG + "inDocument", "in"): "Passages", (PG + "legalStatus", "out"): "Legal status",
}


def without_empty_columns(table: Table) -> Table:
    keep = [i for i in range(len(table.columns)) if any(row[i] not in (None, [], "") for row in table.rows)]
    return Table([table.columns[i] for i in keep], [[row[i] for i in keep] for row in table.rows], table.footer)


def nested_parts(term, children: dict) -> set:
    return {kid for _, _, kids in children.get(term, ()) for kid in kids}


def _line_key(builder: PageBuilder, passage) -> tuple:
    start = builder._literals(passage, PG + "lineStart")
    try:
        return (int(start[0].value) if start else 1 << 30, passage.value)
    except ValueError:
        return (1 << 30, passage.value)


def _object_key(term) -> tuple:
    return (isinstance(term, ox.Literal), natural_key(term.value))


def format_number(text: str) -> str:
    """'11600000' → '11 600 000' (French grouping, with a narrow no-break space)."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    sign = "-" if number < 0 else ""
    integer, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while integer:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    return sign + "\u202f".join(groups or ["0"]) + ("," + fraction if fraction.strip("0") else "")


def short_name(iri: str) -> str:
    tail = iri.rsplit("#", 1)[-1] if "#" in iri else "/".join(iri.rstrip("/").split("/")[-2:])
    return tail or iri


def build_page(description: Description, space: IriSpace, vocab: VocabularyLabels, children: dict) -> Page:
    """The page of a resource.  ``children`` is the nesting computed by the JSON-LD framer."""
    b = PageBuilder(description, space, vocab)
    root = description.node
    title, lang = b.label(root)
    types = b.types(root)
    kinds = sorted({vocab.get(t) for t in types})
    subtitle = [b.link(k) for k in description.values(root, PG + "kind")]
    sections: list[Section] = []
    part_commitments = [p for p in description.parts if description.values(p, PG + "actor")
                        and description.values(p, PG + "commitsTo")]
    signatures = [c for c in part_commitments if PG + "Signature" in b.types(c)
                  or any(r.value.endswith("/role/signatory") for r in description.values(c, PG + "role"))]
    if signatures:
        sections.append(Section("Parties", table=b.commitments_table(signatures, with_target=True),
                                anchor="parties"))
    sections.extend(b.child_sections(root, children, shown=set(signatures)))
    placed = {kid for groups in children.values() for _, _, kids in groups for kid in kids}
    loose = sorted((p for p in description.parts if p != root and p not in placed and p not in signatures),
                   key=lambda t: natural_key(t.value))
    if loose:  # under the resource's IRI, but not linked to it by a composition property
        sections.append(Section("Other parts", cards=[b.card(p, children) for p in loose]))
    money = b.money_by_funder(part_commitments)
    if money is not None:
        sections.append(Section("Money by funder", table=money, anchor="money",
                                note="Sums of the amounts the sources state, per funder; an amount stated as "
                                     "approximate or as a minimum is summed as stated."))
    sections.extend(incoming_sections(b))
    passages = b.sources(root)
    sources = None
    if passages:
        rows = []
        for p in sorted(description.values(root, PG + "statedIn"), key=lambda t: _line_key(b, t)):
            quote = b._literals(p, PG + "quote")
            doc = description.values(p, PG + "inDocument")
            rows.append([b.link(doc[0]) if doc else Value(""), Value(b.label(p)[0], space.local(p.value)),
                         Value(quote[0].value if quote else "", block=True)])
        sources = Table(["document", "lines", "quote"], rows)
    from policygraph.linked_data.addressing import EXTENSION_OF

    alternates = [(url, EXTENSION_OF[fmt.name], fmt.media_type) for url, fmt in space.alternates(description.iri)]
    facts = b.facts(root, nested=nested_parts(root, children) | set(description.parts))
    if signatures:  # the parties come right after the kind of contract
        parties = sorted({a for c in signatures for a in description.values(c, PG + "actor")},
                         key=lambda t: b.label(t)[0])
        position = 1 if facts and facts[0].label == vocab.get(PG + "kind") else 0
        facts.insert(position, Fact("parties", [b.link(a) for a in parties]))
    queries = [(text, query_url(space, text)) for text in description.queries]
    return Page(title, description.iri, space.local(description.iri), kinds, subtitle, facts, sections, sources,
                alternates, queries, lang)


def query_url(space: IriSpace, text: str) -> str:
    from urllib.parse import urlencode

    return space.public + "/sparql?" + urlencode({"query": text, "format": "turtle"})


INCOMING_TITLES = {
    PG + "covers": "Contracts and policies that cover it",
    PG + "scope": "Contracts, policies and projects scoped on it",
    PG + "directlyWithin": "Directly inside it",
    PG + "actor": "Its commitments", PG + "commitsTo": "Commitments to it",
    PG + "underContract": "Projects", PG + "amends": "Amendments to it", PG + "implements": "Implemented by",
    PG + "renews": "Renewed by", PG + "succeeds": "Succeeded by", PG + "statedIn": "Facts this passage states",
    PG + "kind": "Contracts of this kind", SKOS + "inScheme": "Concepts in this scheme",
    PG + "theme": "With this theme", PG + "governs": "Governed by", PG + "inTerritory": "Figures about it",
    PG + "location": "Projects located here", PG + "partOfOrganization": "Its services and parts",
}


def incoming_sections(b: PageBuilder) -> list[Section]:
    """The links to the resource from outside it, grouped by property."""
    d = b.d
    grouped: dict[str, list] = {}
    for s, p in d.inc.get(b.root, ()):
        if s in d.parts:
            continue
        grouped.setdefault(p.value, []).append(s)
    sections = []
    covers = set(grouped.get(PG + "covers", ()))
    scoped = set(grouped.get(PG + "scope", ()))
    for predicate in sorted(grouped, key=lambda p: (p != PG + "covers", p != PG + "actor", b.vocab.get(p))):
        subjects = sorted(set(grouped[predicate]), key=lambda t: b.label(t)[0].lower())
        title = INCOMING_TITLES.get(predicate) or f"{b.vocab.get(predicate)} (links to it)"
        if predicate == PG + "scope" and scoped <= covers:
            continue  # all listed under "cover it"
        if predicate == PG + "actor":
            sections.append(Section(title, table=b.commitments_table(subjects, with_target=True), anchor="commitments"))
        elif predicate == PG + "commitsTo":
            sections.append(Section(title, table=b.commitments_table(subjects, with_target=False)))
        elif predicate in (PG + "covers", PG + "underContract", PG + "amends", PG + "kind", PG + "scope"):
            rows = []
            for s in subjects:
                period = period_text(b, s)
                how = Value("its scope" if s in scoped else "inside its scope") if predicate == PG + "covers" else None
                rows.append([b.link(s), [b.link(k) for k in d.values(s, PG + "kind")], Value(period)]
                            + ([how] if predicate == PG + "covers" else []))
            columns = ["resource", "kind", "period"] + (["this territory is"] if predicate == PG + "covers" else [])
            sections.append(Section(title, table=Table(columns, rows)))
        else:
            sections.append(Section(title, links=[b.link(s) for s in subjects]))
    return sections


def period_text(b: PageBuilder, term) -> str:
    start = b._literals(term, PG + "startDate") or b._literals(term, PG + "startYear")
    end = b._literals(term, PG + "endDate") or b._literals(term, PG + "endYear")
    signed = b._literals(term, PG + "signatureDate") or b._literals(term, PG + "signatureYear")
    starts = sorted({s.value for s in start})
    ends = sorted({e.value for e in end})
    if starts or ends:
        return f"{'/'.join(starts) or '?'} – {'/'.join(ends) or '…'}"
    if signed:
        return "signed " + signed[0].value
    return ""
