"""The pieces of a generated document: who acts, where, the contract record later documents refer to,
and the writer that collects one document's statements and lays its passages out line by line.

Also the small helpers that turn the official territories into actors and numbers into amounts and
French text.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass

from .gen_geography import Area, Commune, Epci
from .gen_terms import PREF_LABEL, A, Statement, english, french, integer, node, pg, string
from .gen_vocab import Kind


@dataclass(frozen=True)
class Actor:
    iri: str
    key: str  # the actor's part of a signature or funding IRI
    label: str
    cls: str  # pg:State or pg:LocalAuthority
    governs: str | None = None
    siren: str | None = None


STATE = Actor(node("actor/etat"), "etat", "État", pg.State)


@dataclass(frozen=True)
class Qpv:
    iri: str
    code: str
    label: str
    commune: Commune


@dataclass
class Scope:
    territories: list[str]  # pg:scope values
    label: str  # what the contract's name says it is for
    actors: list[Actor]  # the collectivités concerned, most local first
    communes: list[Commune]  # where it may be signed
    departement: Area
    qpv: Qpv | None = None
    perimeter: str | None = None  # territory/perimeter/gen-{n} when the scope is an ad-hoc perimeter


@dataclass
class Record:
    """What later documents may refer to: a contract they renew or amend."""

    iri: str
    kind: Kind
    label: str
    scope: Scope
    start: int
    end: int
    signatories: list[Actor]
    amendments: int = 0


@dataclass
class Document:
    number: int
    statements: list[Statement]  # in the document's graph
    reference: list[Statement]  # identity of actors first met here, in the reference graph
    record: Record
    counts: Counter
    new_actors: list[str]
    new_qpv: Qpv | None = None
    renewed: tuple[str, int] | None = None  # (kind, index in Builder.renewable) of the renewed contract
    amended: Record | None = None

    def __len__(self) -> int:
        return len(self.statements) + len(self.reference)


class DocumentWriter:
    """Collects one document's statements and lays its passages out on consecutive lines."""

    def __init__(self, number: int, rng: random.Random, described: set[str]):
        self.number, self.rng, self.described = number, rng, described
        self.slug = f"gen-{number}"
        self.contract = node(f"contract/{self.slug}")
        self.document = node(f"document/{self.slug}")
        self.statements: list[Statement] = []
        self.reference: list[Statement] = []
        self.counts: Counter = Counter()
        self.new_actors: list[str] = []
        self.new_qpv: Qpv | None = None
        self.renewed: tuple[str, int] | None = None
        self.amended: Record | None = None
        self.cited: set[str] = set()  # shared territories this document already cites
        self.signature_year = ""
        self.line = 1

    def add(self, s: str, p: str, o: str) -> None:
        self.statements.append((s, p, o))

    def passage(self, quote: str, lines: int = 1) -> str:
        self.line += self.rng.randint(1, 3)  # blank lines and text the generator does not model
        first, last = self.line, self.line + lines - 1
        self.line = last + 1
        p = f"{self.document[:-1]}/passage/{first}-{last}>"
        self.add(p, A, pg.Passage)
        self.add(p, pg.inDocument, self.document)
        self.add(p, pg.lineStart, integer(first))
        self.add(p, pg.lineEnd, integer(last))
        self.add(p, pg.quote, string(quote))
        self.counts["passages"] += 1
        return p

    def contract_passage(self, quote: str, lines: int = 1) -> None:
        self.add(self.contract, pg.statedIn, self.passage(quote, lines))

    def cite(self, resource: str, quote: str) -> None:
        """A resource another document describes: this one only adds its own passage (README rule 4)."""
        if resource not in self.cited:
            self.cited.add(resource)
            self.add(resource, pg.statedIn, self.passage(quote))

    def cite_scope(self, scope: Scope) -> None:
        if scope.qpv is not None:
            self.cite(scope.qpv.iri, f"Quartier prioritaire « {scope.qpv.label} » ({scope.qpv.code})")
        if scope.perimeter is not None:
            self.cite(scope.perimeter, f"Territoire de projet « {scope.label} »")

    def mention(self, actor: Actor, passage: str) -> None:
        """The document names the actor; its identity goes to the reference graph the first time."""
        self.add(actor.iri, pg.statedIn, passage)
        if actor.iri in self.described or actor.iri in self.new_actors:
            return
        self.new_actors.append(actor.iri)
        self.reference.append((actor.iri, A, actor.cls))
        self.reference.append((actor.iri, PREF_LABEL, french(actor.label)))
        if actor is STATE:
            self.reference.append((actor.iri, PREF_LABEL, english("French State")))
        if actor.governs is not None:
            self.reference.append((actor.iri, pg.governs, actor.governs))
        if actor.siren is not None:
            self.reference.append((actor.iri, pg.siren, string(actor.siren)))

    def finish(self, record: Record) -> Document:
        self.statements[:0] = [
            (self.document, A, pg.SourceDocument),
            (self.document, pg.fileName, string(f"{self.slug}.txt")),
            (self.document, PREF_LABEL, french(record.label)),
        ]
        return Document(self.number, self.statements, self.reference, record, self.counts, self.new_actors,
                        self.new_qpv, self.renewed, self.amended)


# --- actors of the official territories ---------------------------------------------------------------


def commune_actor(c: Commune) -> Actor:
    return Actor(node(f"actor/commune/{c.code}"), f"commune-{c.code}", c.label, pg.LocalAuthority, c.iri)


def epci_actor(e: Epci) -> Actor:
    return Actor(node(f"actor/epci/{e.siren}"), f"epci-{e.siren}", e.label, pg.LocalAuthority, e.iri, e.siren)


def departement_actor(d: Area) -> Actor:
    # A neutral form: "Département du Nord" needs the name's article, which the geography does not give.
    return Actor(node(f"actor/departement/{d.code}"), f"departement-{d.code}", f"Département – {d.label}",
                 pg.LocalAuthority, d.iri)


def region_actor(r: Area) -> Actor:
    return Actor(node(f"actor/region/{r.code}"), f"region-{r.code}", f"Région {r.label}", pg.LocalAuthority, r.iri)


# --- numbers --------------------------------------------------------------------------------------------


def draw_amount(rng: random.Random, median: float, sigma: float, cents: bool = True) -> str:
    """A heavy-tailed amount in euros (log-normal), rounded as documents round: three significant digits."""
    value = min(rng.lognormvariate(math.log(median), sigma), 5e9)
    magnitude = 10 ** max(0, int(math.log10(max(value, 1))) - 2)
    whole = max(1000, int(value // magnitude * magnitude))
    if cents and rng.random() < 0.1:
        return f"{whole + rng.randint(1, 999)}.{rng.randint(1, 99):02d}"  # an exact amount, to the cent
    return str(whole)


def draw_weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    x = rng.random() * sum(w for _, w in choices)
    for value, w in choices:
        x -= w
        if x < 0:
            return value
    return choices[-1][0]


def french_number(lexical: str) -> str:
    """French thousands separators: 1 250 000."""
    whole, _, fraction = lexical.partition(".")
    grouped = f"{int(whole):,}".replace(",", "\u202f")
    return f"{grouped},{fraction}" if fraction else grouped


def euros(lexical: str) -> str:
    return f"{french_number(lexical)} €"
