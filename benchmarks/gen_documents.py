"""One generated source document: a contract and everything a real document states about it.

The shapes and link patterns are those of data/sources/ (see data/README.md): a contract with its
kind, label, signature and period years, territorial scope, themes, axes (some with sub-axes and
objectives) and numbered measures; signatures of the State and of collectivités; financial
commitments to measures or to the contract, some as shares of a stated total; figures; a steering
committee; and a generated pg:SourceDocument whose passages every fact-bearing resource cites.
Contracts renew earlier ones of the same kind and scope (pg:renews) or amend them (pg:amends;
a contrat de ville is amended by a protocole d'engagements renforcés et réciproques).

IRIs follow data/README.md with ``gen-`` slugs (contract/gen-12, document/gen-12,
territory/perimeter/gen-12, figure/gen-12-…), so they never clash with the real resources.  Two
exceptions keep their official form, as the shapes require: actors (actor/commune/59481,
actor/etat…) and QPV (territory/qpv/QP059512).  Generated QPV codes take the numbers 500 to 999 of
their département: France has about 1,500 QPV in all, numbered from 001 in each département, so no
real code is that high.

:meth:`Builder.build` only reads the shared state (which contracts exist, which actors are already
described); :meth:`Builder.commit` records a document once it is written.  A document the generator
decides not to write (it would overshoot the target) therefore leaves no trace.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random

from .gen_geography import Area, Commune, Geography
from .gen_records import (
    STATE,
    Actor,
    Document,
    DocumentWriter,
    Qpv,
    Record,
    Scope,
    commune_actor,
    departement_actor,
    draw_amount,
    draw_weighted,
    epci_actor,
    euros,
    french_number,
    region_actor,
)
from .gen_terms import PREF_LABEL, A, date, decimal, french, integer, node, pg, string, voc, year
from .gen_vocab import (
    BIG_COMMUNE,
    BIG_EPCI,
    CITY,
    COMMUNE,
    DEPARTEMENT,
    EPCI,
    FIGURES,
    FIRST_YEAR,
    INSTRUMENTS,
    KINDS,
    LAST_YEAR,
    PROTOCOL,
    QPV_FIRST,
    QPV_SECOND,
    REGION,
    THEMES,
    VERBS,
    Kind,
)

SIGNATORY, FUNDER = voc("role", "signatory"), voc("role", "funder")
QUALIFIERS = (("exact", 70), ("approximately", 15), ("at-least", 10), ("nearly", 5))
STATUSES = ("signed", "in-force", "ended")
AMENDMENT_SHARE, RENEWAL_SHARE = 0.08, 0.12  # of documents: avenants, and renewals of an earlier contract
DETAILED_SHARE = 0.75  # documents that list measures; the others only name the axes
MEASURES_MEAN, MEASURES_MAX = 6, 40  # measures per axis: exponential, capped


class _Sampler:
    """Draws items uniformly or weighted by population, in O(log n), deterministically."""

    def __init__(self, items: list, population):
        self.items = items
        self.cumulative = list(itertools.accumulate(max(1, population(i)) for i in items))

    def uniform(self, rng: random.Random):
        return self.items[rng.randrange(len(self.items))]

    def weighted(self, rng: random.Random):
        x = rng.random() * self.cumulative[-1]
        return self.items[bisect.bisect_right(self.cumulative, x)]


class Builder:
    def __init__(self, geography: Geography, rng: random.Random):
        if not geography.communes or not geography.epcis:
            raise ValueError(f"{geography.path}: the geography needs communes and EPCI to scope contracts on")
        self.rng = rng
        self.communes = _Sampler(geography.communes, lambda c: c.population)
        self.epcis = _Sampler(geography.epcis, lambda e: e.population)
        self.departement = {d.code: d for d in geography.departements}
        self.region = {r.code: r for r in geography.regions}
        self.departements_of = {r: sorted(d.code for d in geography.departements if d.region == r) for r in self.region}
        self.epcis_in = {d: [e for e in geography.epcis if d in e.departements] for d in self.departement}
        self.epci = {e.siren: e for e in geography.epcis}
        self.communes_in: dict[str, list[Commune]] = {d: [] for d in self.departement}
        for c in geography.communes:
            self.communes_in[c.departement].append(c)
        self.kinds = KINDS
        self.kind_weights = list(itertools.accumulate(k.weight for k in KINDS))
        # Shared state, changed only by commit().
        self.described: set[str] = set()  # actors whose identity is already written
        self.renewable: dict[str, list[Record]] = {k.notation: [] for k in KINDS}
        self.amendable: list[Record] = []
        self.qpvs: dict[str, list[Qpv]] = {}  # by département, in the order they were written
        self.written = 0

    # --- the shared state --------------------------------------------------------------------------

    def commit(self, doc: Document) -> None:
        self.written += 1
        self.described.update(doc.new_actors)
        record = doc.record
        if doc.renewed is not None:
            kind, index = doc.renewed
            pending = self.renewable[kind]
            pending[index] = pending[-1]  # each contract is renewed once: chains, not trees
            pending.pop()
        if doc.amended is not None:
            doc.amended.amendments += 1  # amendments are not amended or renewed themselves
        else:
            self.amendable.append(record)
            if record.end < LAST_YEAR:
                self.renewable[record.kind.notation].append(record)
        if doc.new_qpv is not None:
            self.qpvs.setdefault(doc.new_qpv.commune.departement, []).append(doc.new_qpv)

    # --- one document ------------------------------------------------------------------------------

    def build(self) -> Document:
        rng = self.rng
        n = self.written + 1
        doc = DocumentWriter(n, rng, self.described)
        draw = rng.random()
        if draw < AMENDMENT_SHARE and self.amendable:
            record = self._amendment(doc, self.amendable[rng.randrange(len(self.amendable))])
        else:
            kind = self.kinds[bisect.bisect_right(self.kind_weights, rng.random() * self.kind_weights[-1])]
            pending = self.renewable[kind.notation]
            if draw < AMENDMENT_SHARE + RENEWAL_SHARE and pending:
                index = rng.randrange(len(pending))
                record = self._contract(doc, kind, renews=pending[index])
                doc.renewed = (kind.notation, index)
            else:
                record = self._contract(doc, kind)
        self._content(doc, record)
        return doc.finish(record)

    def _contract(self, doc: DocumentWriter, kind: Kind, renews: Record | None = None) -> Record:
        rng = self.rng
        if renews is None:
            scope = self._scope(doc, kind)
            start = rng.randint(*kind.starts)
        else:
            scope = renews.scope
            start = renews.end + 1
            doc.cite_scope(scope)
        end = min(start + rng.randint(*kind.years) - 1, LAST_YEAR)
        signed = max(FIRST_YEAR, start - rng.randint(0, 1))
        period = f"{start}-{end}"
        label = f"{kind.label} – {scope.label} {period}"
        c = doc.contract
        doc.add(c, A, pg.Contract)
        doc.add(c, pg.kind, voc("contract-kind", kind.notation))
        doc.counts["contracts"] += 1
        if renews is not None:
            doc.add(c, pg.renews, renews.iri)
            doc.counts["renewals"] += 1
            doc.contract_passage(f"Le présent contrat renouvelle le contrat « {renews.label} ».")
        record = Record(c, kind, label, scope, start, end, self._signatories(kind, scope))
        self._dates(doc, record, signed)
        return record

    def _amendment(self, doc: DocumentWriter, target: Record) -> Record:
        rng = self.rng
        c = doc.contract
        if target.kind.notation == "contrat-de-ville" and target.start <= 2019:
            start, end = max(target.start, 2019 + rng.randint(0, 1)), 2022
            doc.add(c, A, pg.EnhancedCommitmentProtocol)
            doc.add(c, pg.kind, voc("contract-kind", PROTOCOL))
            label = f"Protocole d'engagements renforcés et réciproques – {target.scope.label} {start}-{end}"
        else:
            start = rng.randint(target.start, target.end)
            end = min(max(target.end, start) + rng.randint(0, 2), LAST_YEAR)
            doc.add(c, A, pg.Amendment)
            doc.add(c, pg.kind, voc("contract-kind", target.kind.notation))
            label = f"Avenant n° {target.amendments + 1} – {target.label}"
        doc.add(c, pg.amends, target.iri)
        doc.counts["contracts"] += 1
        doc.counts["amendments"] += 1
        doc.amended = target
        doc.contract_passage(f"Le présent avenant modifie le contrat « {target.label} ».")
        doc.cite_scope(target.scope)
        record = Record(c, target.kind, label, target.scope, start, end, target.signatories)
        self._dates(doc, record, start)
        return record

    def _dates(self, doc: DocumentWriter, record: Record, signed: int) -> None:
        rng, c = self.rng, doc.contract
        doc.signature_year = year(signed)
        doc.add(c, PREF_LABEL, french(record.label))
        doc.add(c, pg.signatureYear, doc.signature_year)
        if rng.random() < 0.6:
            doc.add(c, pg.signatureDate, date(f"{signed}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"))
        doc.add(c, pg.startYear, year(record.start))
        doc.add(c, pg.endYear, year(record.end))
        if rng.random() < 0.4:
            doc.add(c, pg.status, voc("status", STATUSES[rng.randrange(len(STATUSES))]))
        for t in record.scope.territories:
            doc.add(c, pg.scope, t)
        if rng.random() < 0.2:
            place = record.scope.communes[rng.randrange(len(record.scope.communes))]
            doc.add(c, pg.signaturePlace, place.iri)
        doc.contract_passage(record.label, lines=2)
        doc.contract_passage(f"Le présent contrat est conclu pour la période {record.start}-{record.end}.")

    # --- territories and actors --------------------------------------------------------------------

    def _scope(self, doc: DocumentWriter, kind: Kind) -> Scope:
        rng = self.rng
        if kind.scope in (BIG_COMMUNE, COMMUNE):
            c = self.communes.uniform(rng) if kind.scope == COMMUNE else self.communes.weighted(rng)
            return self._commune_scope(c)
        if kind.scope == CITY:
            # A contrat de ville: a QPV and its commune, or the commune's EPCI (as data/sources/004 does).
            c = self.communes.weighted(rng)
            qpv = self._qpv(doc, c)
            if qpv is not None:
                c = qpv.commune  # an existing QPV may lie in another commune of the département
            scope = self._commune_scope(c)
            if c.epci is not None and rng.random() < 0.4:
                e = self.epci[c.epci]
                scope.territories, scope.label = [e.iri], e.label
                scope.actors.insert(0, epci_actor(e))
            if qpv is not None:
                scope.territories.insert(0, qpv.iri)
                scope.label = f"{scope.label} ({qpv.label})"
                scope.qpv = qpv
            return scope
        if kind.scope in (EPCI, BIG_EPCI):
            e = self.epcis.uniform(rng) if kind.scope == EPCI else self.epcis.weighted(rng)
            d = self.departement[e.departements[0]]
            return Scope([e.iri], e.label, [epci_actor(e), departement_actor(d), self._region_actor(d)],
                         e.members, d)
        if kind.scope == DEPARTEMENT:
            d = list(self.departement.values())[rng.randrange(len(self.departement))]
            return Scope([d.iri], d.label, [departement_actor(d), self._region_actor(d)],
                         self.communes_in[d.code], d)
        if kind.scope == REGION:
            r = list(self.region.values())[rng.randrange(len(self.region))]
            codes = self.departements_of[r.code]
            d = self.departement[codes[rng.randrange(len(codes))]]
            return Scope([r.iri], r.label, [region_actor(r), departement_actor(d)], self.communes_in[d.code], d)
        return self._perimeter(doc)  # PERIMETER

    def _commune_scope(self, c: Commune) -> Scope:
        d = self.departement[c.departement]
        actors = [commune_actor(c)]
        if c.epci is not None:
            actors.append(epci_actor(self.epci[c.epci]))
        actors += [departement_actor(d), self._region_actor(d)]
        return Scope([c.iri], c.label, actors, [c], d)

    def _region_actor(self, d: Area) -> Actor:
        return region_actor(self.region[d.region])

    def _perimeter(self, doc: DocumentWriter) -> Scope:
        """An ad-hoc perimeter of neighbouring EPCI (same département), named after its largest town."""
        rng = self.rng
        first = self.epcis.uniform(rng)
        d = self.departement[first.departements[0]]
        nearby = self.epcis_in[d.code]
        members = rng.sample(nearby, min(len(nearby), rng.randint(2, 6)))
        town = max((c for e in members for c in e.members), key=lambda c: (c.population, c.code))
        label = f"{('Bassin de', 'Pays de', 'Territoire de')[rng.randrange(3)]} {town.label}"
        p = node(f"territory/perimeter/gen-{doc.number}")
        doc.add(p, A, pg.AdHocPerimeter)
        doc.add(p, PREF_LABEL, french(label))
        for e in members:
            doc.add(p, pg.contains, e.iri)
        doc.add(p, pg.directlyWithin, self.region[d.region].iri)
        quote = f"Le territoire de projet « {label} » regroupe {len(members)} intercommunalités."
        doc.add(p, pg.statedIn, doc.passage(quote))
        doc.counts["perimeters"] += 1
        actors = [self._region_actor(d), departement_actor(d)] + [epci_actor(e) for e in members]
        return Scope([p], label, actors, [c for e in members for c in e.members], d, perimeter=p)

    def _qpv(self, doc: DocumentWriter, c: Commune) -> Qpv | None:
        """A new QPV in the commune; once a département's codes 500-999 are used, an existing one."""
        if not c.departement.isdigit():  # the shapes' QPV codes are QP + six digits: none in Corsica
            return None
        known = self.qpvs.get(c.departement, [])
        number = 500 + len(known)
        if number > 999:
            qpv = known[self.rng.randrange(len(known))]
            doc.cite(qpv.iri, f"Quartier prioritaire « {qpv.label} » ({qpv.code})")
            return qpv
        code = f"QP{c.departement:0>3}{number}"
        label = f"{QPV_FIRST[self.rng.randrange(len(QPV_FIRST))]} {QPV_SECOND[self.rng.randrange(len(QPV_SECOND))]}"
        qpv = Qpv(node(f"territory/qpv/{code}"), code, label, c)
        doc.add(qpv.iri, A, pg.QPV)
        doc.add(qpv.iri, PREF_LABEL, french(label))
        doc.add(qpv.iri, pg.qpvCode, string(code))
        doc.add(qpv.iri, pg.directlyWithin, c.iri)
        doc.add(qpv.iri, pg.statedIn, doc.passage(f"Quartier prioritaire « {label} » ({code}), commune de {c.label}"))
        doc.cited.add(qpv.iri)
        doc.new_qpv = qpv
        doc.counts["qpv"] += 1
        return qpv

    def _signatories(self, kind: Kind, scope: Scope) -> list[Actor]:
        rng = self.rng
        chosen = [STATE] if kind.state_signs else []
        for i, actor in enumerate(scope.actors):
            # The most local authority always signs; the others often do (and always when the State does not).
            if i == 0 or not kind.state_signs or rng.random() < 0.6:
                chosen.append(actor)
        return list({a.key: a for a in chosen}.values())[:10]

    # --- content -----------------------------------------------------------------------------------

    def _content(self, doc: DocumentWriter, record: Record) -> None:
        rng, c = self.rng, doc.contract
        themes = rng.sample(record.kind.themes, min(len(record.kind.themes), rng.randint(1, 3)))
        for t in themes:
            doc.add(c, pg.theme, voc("theme", t))
        if rng.random() < 0.3:
            doc.add(c, pg.description, french(
                f"{record.label} : {len(record.signatories)} signataires s'engagent pour {record.scope.label}."))
        measures = self._axes(doc, record, themes)
        self._signatures(doc, record)
        self._funding(doc, record, measures)
        self._figures(doc, record)
        if rng.random() < 0.3:
            self._steering_committee(doc, record)

    def _axes(self, doc: DocumentWriter, record: Record, themes: list[str]) -> list[str]:
        rng, c = self.rng, doc.contract
        detailed = rng.random() < DETAILED_SHARE
        measures: list[str] = []
        objectives = 0
        for a in range(1, rng.randint(2, 9) + 1):
            theme = rng.choice(themes) if rng.random() < 0.5 else rng.choice(record.kind.themes)
            axis = f"{c[:-1]}/axis/{a}>"
            name = THEMES[theme][0]
            doc.add(c, pg.hasAxis, axis)
            self._axis(doc, axis, str(a), a, name, theme, f"Axe {a} – {name}")
            doc.counts["axes"] += 1
            count = min(MEASURES_MAX, int(rng.expovariate(1 / MEASURES_MEAN))) if detailed else 0
            places = [axis]
            if count >= 4 and rng.random() < 0.15:
                places = []
                for s in range(1, rng.randint(2, 3) + 1):
                    sub = f"{c[:-1]}/axis/{a}.{s}>"
                    sub_theme = rng.choice(record.kind.themes)
                    self._axis(doc, sub, f"{a}.{s}", s, THEMES[sub_theme][0], sub_theme,
                               f"{a}.{s} {THEMES[sub_theme][0]}", parent=axis)
                    places.append(sub)
                    doc.counts["sub_axes"] += 1
            groups: list[str | None] = [None]
            if len(places) == 1 and count >= 2 and rng.random() < 0.25:
                groups = []
                for _ in range(rng.randint(1, 3)):
                    objectives += 1
                    groups.append(self._objective(doc, axis, objectives, theme))
            for i in range(count):
                place = places[i * len(places) // count]
                objective = groups[i * len(groups) // count]
                measures.append(self._measure(doc, len(measures) + 1, place, objective, theme))
        return measures

    def _axis(self, doc: DocumentWriter, axis: str, number: str, order: int, name: str, theme: str, quote: str,
              parent: str | None = None) -> None:
        doc.add(axis, A, pg.Axis)
        doc.add(axis, pg.axisOf, doc.contract)
        if parent is not None:
            doc.add(axis, pg.parentAxis, parent)
        doc.add(axis, pg.number, string(number))
        doc.add(axis, pg.order, integer(order))
        doc.add(axis, PREF_LABEL, french(name))
        doc.add(axis, pg.theme, voc("theme", theme))
        doc.add(axis, pg.statedIn, doc.passage(quote))

    def _objective(self, doc: DocumentWriter, axis: str, number: int, theme: str) -> str:
        o = f"{doc.contract[:-1]}/objective/{number}>"
        name = f"{VERBS[self.rng.randrange(len(VERBS))]} {THEMES[theme][1][self.rng.randrange(2)]}."
        doc.add(o, A, pg.Objective)
        doc.add(o, pg.objectiveOf, axis)
        doc.add(o, pg.inContract, doc.contract)
        doc.add(o, pg.order, integer(number))
        doc.add(o, PREF_LABEL, french(name))
        doc.add(o, pg.statedIn, doc.passage(f"Objectif : {name}"))
        doc.counts["objectives"] += 1
        return o

    def _measure(self, doc: DocumentWriter, number: int, axis: str, objective: str | None, theme: str) -> str:
        rng = self.rng
        m = f"{doc.contract[:-1]}/measure/{number}>"
        name = f"{VERBS[rng.randrange(len(VERBS))]} {THEMES[theme][1][rng.randrange(2)]}."
        doc.add(m, A, pg.Measure)
        doc.add(m, pg.inContract, doc.contract)
        doc.add(m, pg.inAxis, axis)
        if objective is not None:
            doc.add(m, pg.inObjective, objective)
        doc.add(m, pg.number, string(str(number)))
        doc.add(m, pg.order, integer(number))
        doc.add(m, PREF_LABEL, french(name))
        doc.add(m, pg.theme, voc("theme", theme))
        doc.add(m, pg.statedIn, doc.passage(f"Action {number} : {name}"))
        doc.counts["measures"] += 1
        return m

    def _signatures(self, doc: DocumentWriter, record: Record) -> None:
        for actor in record.signatories:
            s = f"{doc.contract[:-1]}/signature/{actor.key}>"
            passage = doc.passage(f"Pour {actor.label}", lines=2)
            doc.add(s, A, pg.Signature)
            doc.add(s, pg.actor, actor.iri)
            doc.add(s, pg.role, SIGNATORY)
            doc.add(s, pg.commitsTo, doc.contract)
            if self.rng.random() < 0.5:
                doc.add(s, pg.signatureYear, doc.signature_year)
            doc.add(s, pg.statedIn, passage)
            doc.mention(actor, passage)
            doc.counts["signatures"] += 1

    def _funding(self, doc: DocumentWriter, record: Record, measures: list[str]) -> None:
        rng, actors = self.rng, record.signatories
        funders = ([STATE] * 2 if STATE in actors else []) + actors  # the State funds most often
        for m in measures:
            if rng.random() < 0.25:
                funder = funders[rng.randrange(len(funders))]
                number = m[m.rindex("/") + 1:-1]
                self._commitment(doc, record, f"m{number}-{funder.key}", funder, m, draw_amount(rng, 80_000, 1.5))
        for funder in rng.sample(actors, rng.randint(0, min(3, len(actors)))):
            self._commitment(doc, record, funder.key, funder, doc.contract, draw_amount(rng, 1_500_000, 1.4))
        if len(measures) >= 2 and rng.random() < 0.2:
            # A funder's total envelope, broken down by measure: the shares never add up to more.
            funder = funders[rng.randrange(len(funders))]
            total = int(draw_amount(rng, 3_000_000, 1.2, cents=False))
            key = f"enveloppe-{funder.key}"
            envelope = self._commitment(doc, record, key, funder, doc.contract, str(total), exact=True)
            funded = rng.sample(measures, min(len(measures), rng.randint(2, 5)))
            weights = [rng.randint(1, 100) for _ in funded]
            shared = int(total * rng.uniform(0.5, 1.0))
            for m, w in zip(funded, weights):
                number = m[m.rindex("/") + 1:-1]
                self._commitment(doc, record, f"{key}-m{number}", funder, m, str(shared * w // sum(weights)),
                                 share_of=envelope)

    def _commitment(self, doc: DocumentWriter, record: Record, key: str, funder: Actor, funded: str, amount: str,
                    exact: bool = False, share_of: str | None = None) -> str:
        rng = self.rng
        f = f"{doc.contract[:-1]}/funding/{key}>"
        doc.add(f, A, pg.FinancialCommitment)
        doc.add(f, pg.actor, funder.iri)
        doc.add(f, pg.role, FUNDER)
        doc.add(f, pg.commitsTo, funded)
        doc.add(f, pg.amount, decimal(amount))
        doc.add(f, pg.currency, string("EUR"))
        if exact:
            doc.add(f, pg.amountQualifier, voc("qualifier", "exact"))
        elif rng.random() < 0.6:
            doc.add(f, pg.amountQualifier, voc("qualifier", draw_weighted(rng, QUALIFIERS)))
        if share_of is not None:
            doc.add(f, pg.shareOf, share_of)
        if rng.random() < 0.3:
            doc.add(f, pg.fundingInstrument, string(INSTRUMENTS[rng.randrange(len(INSTRUMENTS))]))
        if rng.random() < 0.1:
            doc.add(f, pg.frequency, voc("frequency", "annual"))
        if rng.random() < 0.2:
            doc.add(f, pg.startYear, year(record.start))
            doc.add(f, pg.endYear, year(record.end))
        if funder.cls == pg.State and rng.random() < 0.1:
            recipient = record.scope.actors[0]
            if recipient in record.signatories:  # described in the graph
                doc.add(f, pg.recipient, recipient.iri)
        doc.add(f, pg.statedIn, doc.passage(f"{funder.label} : {euros(amount)}"))
        doc.counts["financial_commitments"] += 1
        return f

    def _figures(self, doc: DocumentWriter, record: Record) -> None:
        rng = self.rng
        for k in range(1, rng.randint(0, 3) + 1):
            if rng.random() < 0.15:
                quantity, value, what = "amount-eur", draw_amount(rng, 5_000_000, 1.5, cents=False), "euros"
            else:
                quantity, low, high, what = FIGURES[rng.randrange(len(FIGURES))]
                value = str(round(math.exp(rng.uniform(math.log(low), math.log(high)))))
            f = node(f"figure/gen-{doc.number}-{quantity}-{k}")
            doc.add(f, A, pg.Figure)
            if rng.random() < 0.2:  # what the document says of the kind in its département
                d = record.scope.departement
                doc.add(f, pg.figureOf, voc("contract-kind", record.kind.notation))
                doc.add(f, pg.inTerritory, d.iri)
                label = f"{record.kind.label}, {d.label} : {french_number(value)} {what}"
            else:
                doc.add(f, pg.figureOf, doc.contract)
                if rng.random() < 0.5:
                    doc.add(f, pg.inTerritory, record.scope.territories[0])
                label = f"{record.label} : {french_number(value)} {what}"
            doc.add(f, pg.quantity, voc("quantity", quantity))
            doc.add(f, pg.value, decimal(value))
            doc.add(f, pg.referenceYear, doc.signature_year)
            if rng.random() < 0.3:
                doc.add(f, pg.amountQualifier, voc("qualifier", draw_weighted(rng, QUALIFIERS)))
            doc.add(f, PREF_LABEL, french(label))
            doc.add(f, pg.statedIn, doc.passage(label))
            doc.counts["figures"] += 1

    def _steering_committee(self, doc: DocumentWriter, record: Record) -> None:
        b = f"{doc.contract[:-1]}/body/copil>"
        lead, *others = record.signatories
        doc.add(b, A, pg.GovernanceBody)
        doc.add(b, pg.bodyKind, voc("body-kind", "steering-committee"))
        doc.add(b, PREF_LABEL, french(f"Comité de pilotage – {record.label}"))
        doc.add(b, pg.bodyOf, doc.contract)
        doc.add(b, pg.animatedBy, lead.iri)
        for actor in others[:4]:
            doc.add(b, pg.member, actor.iri)
        doc.add(b, pg.statedIn, doc.passage(f"Le comité de pilotage est présidé par {lead.label}."))
        doc.counts["governance_bodies"] += 1
