"""The HTML page of a collection page (``policygraph.linked_data.listings``), as data for ``collection.html``."""

from __future__ import annotations

from dataclasses import dataclass

from policygraph.linked_data.addressing import IriSpace
from policygraph.linked_data.describe import Description
from policygraph.linked_data.listings import Listing
from policygraph.linked_data.resource_pages import PG, PageBuilder, Table, Value, VocabularyLabels, period_text


@dataclass
class FilterField:
    name: str
    description: str
    value: str


@dataclass
class CollectionPage:
    title: str
    total: int
    page: int
    last_page: int
    table: Table
    fields: list[FilterField]
    navigation: dict[str, str]
    alternates: list[tuple[str, str, str]]
    limit: int


def build_collection_page(listing: Listing, space: IriSpace, vocab: VocabularyLabels,
                          alternates: list[tuple[str, str, str]]) -> CollectionPage:
    b = PageBuilder(Description(listing.url, listing.triples), space, vocab)
    d = b.d
    columns = ["name"] + list(listing.spec.columns)
    rows = []
    for member in listing.members:
        row: list = [b.link(member)]
        for column in listing.spec.columns:
            if column == "kind":
                row.append([b.link(k) for k in d.values(member, PG + "kind")])
            elif column == "period":
                row.append(Value(period_text(b, member)))
            elif column == "scope":
                row.append([b.link(t) for t in d.values(member, PG + "scope")])
            elif column == "type":
                row.append(Value(b.kind_label(member)))
            elif column == "code":
                row.append([Value(c.value) for c in d.values(member, PG + "inseeCode")])
            elif column == "number":
                row.append([Value(c.value) for c in d.values(member, PG + "number")])
            elif column == "contract":
                row.append([b.link(c) for c in d.values(member, PG + "inContract")])
            elif column == "actor":
                row.append([b.link(a) for a in d.values(member, PG + "actor")])
            elif column == "role":
                row.append([b.link(r) for r in d.values(member, PG + "role")])
            elif column == "to":
                row.append([b.link(t) for t in d.values(member, PG + "commitsTo")])
            elif column == "amount":
                row.append(b.amount(member))
        rows.append(row)
    fields = [FilterField(f.name, f.description, listing.filters.get(f.name, "")) for f in listing.spec.filters]
    title = listing.spec.title
    return CollectionPage(title, listing.total, listing.page, listing.last_page, Table(columns, rows), fields,
                          listing.navigation(), alternates, listing.limit)
