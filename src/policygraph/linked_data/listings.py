"""Collections: ``/contracts``, ``/territories``, ``/actors``, ``/measures``, ``/commitments``.

Each is a SPARQL pattern selecting its members plus the filters a consumer expects, paged in label
order.  A page is returned as triples: the Hydra collection (``hydra:Collection``, ``hydra:totalItems``,
``hydra:member``, a ``hydra:PartialCollectionView`` with ``first``/``previous``/``next``/``last``, and a
``hydra:search`` IRI template listing the filters — https://www.hydra-cg.com/spec/latest/core/) and a
summary of each member (the same summary as in resource descriptions, ``describe.summary_query``).

Filters are bound as RDF terms validated here (IRIs through ``pyoxigraph.NamedNode``, texts as
escaped N-Triples literals), and a filter naming a resource the graph does not have — a territory
that does not exist, a theme that is not a theme — is a 400 that says so, never an empty page.

Territorial filters follow the geography: ``territory=T`` keeps what is *at or inside* ``T``
(``pg:directlyWithin``/``pg:within``/``pg:contains``, transitively), ``covering=T`` keeps contracts
whose scope is ``T`` or contains it (what applies to a commune).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Mapping
from urllib.parse import urlencode

import pyoxigraph as ox

from policygraph.errors import InvalidParameter, NotFound
from policygraph.linked_data.addressing import IriSpace, parse_iri_param
from policygraph.linked_data.describe import PREFIX_LINES, summary_query
from policygraph.model import formats
from policygraph.store.base import QueryRequest, Store
from policygraph.store.results_io import parse_triples

PG = "https://w3id.org/policygraph/def#"
HYDRA = "http://www.w3.org/ns/hydra/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
UP = "(pg:directlyWithin|pg:within|^pg:contains)"
CONTRACT_PARTS = "(pg:inContract|pg:axisOf|pg:inAxis|pg:parentAxis|pg:objectiveOf|pg:inObjective)"
DEFAULT_LIMIT = 50
MAX_LIMIT = 500


@dataclass(frozen=True)
class Filter:
    name: str
    kind: str  # "territory", "actor", "contract", "concept", "class", "date", "text", "code"
    pattern: str  # SPARQL with {v} for the bound term
    description: str
    property: str  # for the Hydra mapping
    scheme: str | None = None  # concept filters: voc/{scheme}/{notation}


@dataclass(frozen=True)
class CollectionSpec:
    name: str
    title: str
    base_class: str
    filters: tuple[Filter, ...]
    columns: tuple[str, ...]
    extra_summary: tuple[str, ...] = ()

    @property
    def members(self) -> str:
        return f"?m a ?class . ?class rdfs:subClassOf* <{self.base_class}> ."

    def filter(self, name: str) -> Filter | None:
        return next((f for f in self.filters if f.name == name), None)


def _f(name, kind, pattern, description, prop, scheme=None) -> Filter:
    return Filter(name, kind, pattern, description, prop, scheme)


TEXT = _f("q", "text", "?m skos:prefLabel ?ql . FILTER(CONTAINS(LCASE(STR(?ql)), {v}))",
          "words in the label (case does not matter)", "skos:prefLabel")

COLLECTIONS: dict[str, CollectionSpec] = {spec.name: spec for spec in (
    CollectionSpec("contracts", "Contracts", PG + "Contract", (
        _f("territory", "territory", f"?m pg:scope ?s0 . ?s0 {UP}* {{v}} .",
           "scope at or inside this territory", "pg:scope"),
        _f("covering", "territory", f"{{v}} {UP}* ?a0 . {{ ?m pg:scope ?a0 }} UNION {{ ?p0 pg:contains+ ?a0 . ?m pg:scope ?p0 }}",
           "scope is this territory or contains it", "pg:covers"),
        _f("actor", "actor", f"?c0 pg:actor {{v}} ; pg:commitsTo ?x0 . ?x0 {CONTRACT_PARTS}* ?m .",
           "with a commitment (signature, funding…) of this actor", "pg:actor"),
        _f("kind", "concept", "?m pg:kind ?k0 . ?k0 skos:broader* {v} .", "of this kind", "pg:kind", "contract-kind"),
        _f("theme", "concept", "?m pg:theme ?t0 . ?t0 skos:broader* {v} .", "with this theme", "pg:theme", "theme"),
        _f("in_force", "date", "", "in force on this date (YYYY-MM-DD) or in this year (YYYY)", "pg:startYear"),
        TEXT,
    ), ("kind", "period", "scope"), ("pg:scope",)),
    CollectionSpec("territories", "Territories", PG + "Territory", (
        _f("territory", "territory", f"?m {UP}+ {{v}} .", "inside this territory", "pg:within"),
        _f("type", "class", "?m a {v} .", "of this kind (Commune, EPCI, Departement, QPV…)", "rdf:type"),
        _f("code", "code", "?m pg:inseeCode {v} .", "with this INSEE code or SIREN", "pg:inseeCode"),
        TEXT,
    ), ("type", "code")),
    CollectionSpec("actors", "Actors", PG + "Actor", (
        _f("type", "class", "?m a {v} .", "of this kind (LocalAuthority, StateService…)", "rdf:type"),
        _f("territory", "territory", f"?m pg:governs ?g0 . ?g0 {UP}* {{v}} .",
           "governing a territory at or inside this one", "pg:governs"),
        _f("contract", "contract", f"?c0 pg:actor ?m ; pg:commitsTo ?x0 . ?x0 {CONTRACT_PARTS}* {{v}} .",
           "committed to this contract (or to one of its measures)", "pg:commitsTo"),
        TEXT,
    ), ("type",)),
    CollectionSpec("measures", "Measures", PG + "Measure", (
        _f("contract", "contract", f"?m {CONTRACT_PARTS}+ {{v}} .", "of this contract", "pg:inContract"),
        _f("theme", "concept", "?m pg:theme ?t0 . ?t0 skos:broader* {v} .", "with this theme", "pg:theme", "theme"),
        _f("territory", "territory", f"?m {CONTRACT_PARTS}* ?w0 . ?w0 pg:scope ?s0 . ?s0 {UP}* {{v}} .",
           "whose scope, or its contract's, is at or inside this territory", "pg:scope"),
        _f("actor", "actor", "?c0 pg:actor {v} ; pg:commitsTo ?m .", "with a commitment of this actor", "pg:actor"),
        TEXT,
    ), ("number", "contract")),
    CollectionSpec("commitments", "Commitments", PG + "Commitment", (
        _f("actor", "actor", "?m pg:actor {v} .", "made by this actor", "pg:actor"),
        _f("contract", "contract", f"?m pg:commitsTo ?x0 . ?x0 {CONTRACT_PARTS}* {{v}} .",
           "to this contract or one of its parts", "pg:commitsTo"),
        _f("role", "concept", "?m pg:role {v} .", "in this role (signatory, funder…)", "pg:role", "role"),
        _f("type", "class", "?m a {v} .", "of this kind (Signature, FinancialCommitment)", "rdf:type"),
        _f("territory", "territory", f"?m pg:commitsTo ?x0 . ?x0 {CONTRACT_PARTS}* ?w0 . ?w0 pg:scope ?s0 . ?s0 {UP}* {{v}} .",
           "to a contract whose scope is at or inside this territory", "pg:scope"),
    ), ("actor", "role", "to", "amount")),
)}

CLASS_OF_FILTER = {"territory": PG + "Territory", "actor": PG + "Actor", "contract": PG + "Contract"}
_YEAR = re.compile(r"\d{4}")


def literal(text: str) -> str:
    return str(ox.Literal(text))


@dataclass
class Listing:
    spec: CollectionSpec
    url: str  # the collection with its filters, without paging
    filters: dict[str, str]  # as given, in the spec's order
    page: int
    limit: int
    total: int
    members: list[ox.NamedNode]
    triples: list[ox.Triple] = field(default_factory=list)

    @property
    def last_page(self) -> int:
        return max(1, -(-self.total // self.limit))

    def page_url(self, page: int) -> str:
        params = dict(self.filters)
        if self.limit != DEFAULT_LIMIT:
            params["limit"] = str(self.limit)
        params["page"] = str(page)
        return self.url_with(params)

    def url_with(self, params: Mapping[str, str]) -> str:
        base = self.url.split("?", 1)[0]
        return base + ("?" + urlencode(params) if params else "")

    @property
    def view_url(self) -> str:
        return self.page_url(self.page)

    def navigation(self) -> dict[str, str]:
        links = {"first": self.page_url(1), "last": self.page_url(self.last_page)}
        if self.page > 1:
            links["previous"] = self.page_url(self.page - 1)
        if self.page < self.last_page:
            links["next"] = self.page_url(self.page + 1)
        return links


class Listings:
    """Runs the queries of one collection request on a Store."""

    def __init__(self, store: Store, space: IriSpace):
        self.store = store
        self.space = space

    def _ask(self, query: str) -> bool:
        rows = self.store.select_json(PREFIX_LINES + query, union=True)
        return bool(rows)

    def bind(self, spec: CollectionSpec, name: str, raw: str) -> tuple[str, str]:
        """(SPARQL pattern, normalised value) for one filter value, or a 400 that says what is wrong."""
        f = spec.filter(name)
        assert f is not None
        if f.kind == "text":
            text = raw.strip().lower()
            if not text or len(text) > 200:
                raise InvalidParameter(f"{name} must have 1 to 200 characters", parameter=name)
            return f.pattern.replace("{v}", literal(text)), raw.strip()
        if f.kind == "code":
            code = raw.strip()
            if not re.fullmatch(r"[0-9A-Za-z]{1,15}", code):
                raise InvalidParameter(f"{name}={raw!r} is not an INSEE code or a SIREN", parameter=name)
            return f.pattern.replace("{v}", literal(code)), code
        if f.kind == "date":
            return self._in_force(raw), raw.strip()
        if f.kind == "class":
            iri = self._class(spec, raw)
            return f.pattern.replace("{v}", f"<{iri}>"), raw.strip()
        if f.kind == "concept":
            value = raw.strip()
            if "/" not in value and ":" not in value:
                value = f"voc/{f.scheme}/{value}"
            iri = parse_iri_param(value, self.space, name)
            if not self._ask(f"SELECT ?x WHERE {{ {ox.NamedNode(iri)} skos:inScheme ?x }} LIMIT 1"):
                raise InvalidParameter(f"{name}: <{iri}> is not a concept of the graph", parameter=name)
            return f.pattern.replace("{v}", str(ox.NamedNode(iri))), raw.strip()
        iri = parse_iri_param(raw, self.space, name)
        expected = CLASS_OF_FILTER[f.kind]
        term = str(ox.NamedNode(iri))
        if not self._ask(f"SELECT ?c WHERE {{ {term} a ?c . ?c rdfs:subClassOf* <{expected}> }} LIMIT 1"):
            raise InvalidParameter(f"{name}: <{iri}> is not a {f.kind} of the graph", parameter=name)
        return f.pattern.replace("{v}", term), raw.strip()

    def _class(self, spec: CollectionSpec, raw: str) -> str:
        from policygraph.model.jsonld_context import shipped_context

        wanted = raw.strip().lower()
        classes = {name.lower(): iri for iri, name in shipped_context().classes.items() if iri.startswith(PG)}
        iri = classes.get(wanted) or classes.get(wanted.replace("-", "").replace("_", ""))
        if iri is None or not self._ask(f"SELECT ?x WHERE {{ <{iri}> rdfs:subClassOf* ?x FILTER(?x = <{spec.base_class}>) }} LIMIT 1"):
            raise InvalidParameter(f"type={raw!r} is not a kind of {spec.title.lower()}", parameter="type")
        return iri

    @staticmethod
    def _in_force(raw: str) -> str:
        """In force on a day (or a year): started by then — its start, else its signature — and not ended.

        Years compare with years (the sources often give only years: a contract of 2018–2021 is in
        force on 2021-06-30); a contract without a known end is in force from its start on.
        """
        value = raw.strip()
        if _YEAR.fullmatch(value):
            day_start, day_end, year = f"{value}-12-31", f"{value}-01-01", int(value)
        else:
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                raise InvalidParameter(f"in_force={raw!r} is not a date (YYYY-MM-DD) or a year (YYYY)",
                                       parameter="in_force") from None
            day_start = day_end = parsed.isoformat()
            year = parsed.year
        d_start = str(ox.Literal(day_start, datatype=ox.NamedNode(XSD + "date")))
        d_end = str(ox.Literal(day_end, datatype=ox.NamedNode(XSD + "date")))
        return f"""
  {{ ?m pg:startDate ?sd0 FILTER(?sd0 <= {d_start}) }}
  UNION {{ FILTER NOT EXISTS {{ ?m pg:startDate ?any0 }} ?m pg:startYear ?sy0 FILTER(xsd:integer(STR(?sy0)) <= {year}) }}
  UNION {{ FILTER NOT EXISTS {{ ?m pg:startDate ?any1 }} FILTER NOT EXISTS {{ ?m pg:startYear ?any2 }}
          {{ ?m pg:signatureDate ?gd0 FILTER(?gd0 <= {d_start}) }}
          UNION {{ FILTER NOT EXISTS {{ ?m pg:signatureDate ?any3 }} ?m pg:signatureYear ?gy0
                  FILTER(xsd:integer(STR(?gy0)) <= {year}) }} }}
  FILTER NOT EXISTS {{ ?m pg:endDate ?ed0 FILTER(?ed0 < {d_end}) }}
  FILTER NOT EXISTS {{ FILTER NOT EXISTS {{ ?m pg:endDate ?any4 }} ?m pg:endYear ?ey0 FILTER(xsd:integer(STR(?ey0)) < {year}) }}
"""

    def list(self, spec: CollectionSpec, params: Mapping[str, str], url: str) -> Listing:
        known = {f.name for f in spec.filters} | {"page", "limit", "format"}
        unknown = sorted(set(params) - known)
        if unknown:
            raise InvalidParameter(f"unknown parameter {unknown[0]!r} for /{spec.name}; filters: "
                                   f"{', '.join(f.name for f in spec.filters)}; paging: page, limit",
                                   parameter=unknown[0])
        page = _positive(params.get("page", "1"), "page")
        limit = _positive(params.get("limit", str(DEFAULT_LIMIT)), "limit")
        if limit > MAX_LIMIT:
            raise InvalidParameter(f"limit must be at most {MAX_LIMIT}", parameter="limit")
        patterns, given = [], {}
        for f in spec.filters:
            if f.name in params:
                pattern, value = self.bind(spec, f.name, params[f.name])
                patterns.append(pattern)
                given[f.name] = value
        where = spec.members + "\n" + "\n".join(patterns)
        count_rows = self.store.select_json(PREFIX_LINES + f"SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ {where} }}",
                                            union=True)
        total = int(count_rows[0]["n"].value) if count_rows else 0
        listing = Listing(spec, url, given, page, limit, total, [])
        listing.url = listing.url_with(given)
        if page > listing.last_page:
            raise NotFound(f"page {page} does not exist: /{spec.name} has {listing.last_page} page(s) "
                           f"of {limit} for these filters")
        rows = self.store.select_json(PREFIX_LINES + f"""SELECT ?m (SAMPLE(?l) AS ?label) WHERE {{
  {where}
  OPTIONAL {{ ?m skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), "fr")) }}
}} GROUP BY ?m ORDER BY LCASE(STR(?label)) ?m LIMIT {limit} OFFSET {(page - 1) * limit}""", union=True)
        listing.members = [r["m"] for r in rows if isinstance(r.get("m"), ox.NamedNode)]
        listing.triples = self._collection_triples(listing) + self._summaries(spec, listing.members)
        return listing

    def _summaries(self, spec: CollectionSpec, members: list[ox.NamedNode]) -> list[ox.Triple]:
        if not members:
            return []
        from policygraph.linked_data.describe import all_graphs

        graphs = all_graphs(self.store)
        query = summary_query(members, self.space.base, spec.extra_summary)
        result = self.store.query(QueryRequest(query, None, formats.N_TRIPLES, default_graphs=graphs,
                                               named_graphs=graphs))
        return parse_triples(result.body)

    def _collection_triples(self, listing: Listing) -> list[ox.Triple]:
        n = ox.NamedNode
        h = lambda local: n(HYDRA + local)  # noqa: E731
        collection, view = n(listing.url), n(listing.view_url)
        triples = [ox.Triple(collection, n(RDF_TYPE), h("Collection")),
                   ox.Triple(collection, h("totalItems"), ox.Literal(str(listing.total), datatype=n(XSD + "integer")))]
        triples += [ox.Triple(collection, h("member"), m) for m in listing.members]
        triples += [ox.Triple(collection, h("view"), view), ox.Triple(view, n(RDF_TYPE), h("PartialCollectionView"))]
        for rel, url in listing.navigation().items():
            triples.append(ox.Triple(view, h(rel), n(url)))
        search = n(listing.url.split("?", 1)[0] + "#search")
        names = [f.name for f in listing.spec.filters] + ["page", "limit"]
        triples += [ox.Triple(collection, h("search"), search), ox.Triple(search, n(RDF_TYPE), h("IriTemplate")),
                    ox.Triple(search, h("template"),
                              ox.Literal(listing.url.split("?", 1)[0] + "{?" + ",".join(names) + "}"))]
        from policygraph.model.jsonld_context import shipped_context

        ctx = shipped_context()
        for f in listing.spec.filters:
            mapping = n(listing.url.split("?", 1)[0] + "#search-" + f.name)
            triples += [ox.Triple(search, h("mapping"), mapping),
                        ox.Triple(mapping, n(RDF_TYPE), h("IriTemplateMapping")),
                        ox.Triple(mapping, h("variable"), ox.Literal(f.name)),
                        ox.Triple(mapping, h("property"), n(ctx.expand(f.property))),
                        ox.Triple(mapping, h("required"), ox.Literal("false", datatype=n(XSD + "boolean")))]
        return triples


def _positive(raw: str, name: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise InvalidParameter(f"{name}={raw!r} is not a whole number", parameter=name) from None
    if value < 1:
        raise InvalidParameter(f"{name} must be 1 or more", parameter=name)
    return value

