"""The ``policygraph`` command: each sub-command is a thin wrapper over a core function.

Exit status: 0 success (and, for ``validate``, conformance), 1 data violates the shapes,
2 usage or syntax error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from policygraph import __version__


class _Help(argparse.ArgumentDefaultsHelpFormatter):
    """Every option's help shows its default — when it has one worth showing."""

    def _get_help_string(self, action):
        if action.default in (None, False, [], argparse.SUPPRESS):
            return action.help
        return super()._get_help_string(action)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policygraph", description=__doc__.splitlines()[0], formatter_class=_Help)
    parser.add_argument("--version", action="version", version=f"policygraph {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(parent, name: str, help: str) -> argparse.ArgumentParser:
        return parent.add_parser(name, help=help, description=help, formatter_class=_Help)

    store_help = "embedded store folder (default: $POLICYGRAPH_STORE, else ./var/store)"

    p = command(sub, "serve", help="serve the graph over HTTP (SPARQL, linked data)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every interface)")
    p.add_argument("--port", type=int, default=8000, help="TCP port to listen on")
    p.add_argument("--store", type=Path, default=None, help=store_help)
    p.add_argument("--reload-data", action="store_true", help="reload the shipped data into the store")
    p.add_argument("--query-url", help="SPARQL query endpoint of an external triplestore (instead of the embedded store)")
    p.add_argument("--update-url", help="SPARQL update endpoint of the external triplestore")
    p.add_argument("--graph-store-url", help="Graph Store Protocol endpoint of the external triplestore")

    p = command(sub, "hash-token", help="make a new steward token and the hashed entry to configure")
    p.add_argument("name", help="the steward's name")

    p = command(sub, "load", help="(re)load the shipped data into the embedded store")
    p.add_argument("--store", type=Path, default=None, help=store_help)

    p = command(sub, "import", help="import reference data")
    imp = p.add_subparsers(dest="what", required=True)
    t = command(imp, "territories", help="import the Code officiel géographique (decoupage-administratif)")
    t.add_argument("--source", type=Path, default=None,
                   help="folder with regions.json, departements.json… (default: fetch the npm package)")
    t.add_argument("--region", default="32", help="INSEE code of the region to keep, or 'all'")
    t.add_argument("--output", type=Path, default=None,
                   help="Turtle file to write (default: data/territories/hauts-de-france.ttl for 32)")

    p = command(sub, "validate", help="validate the shipped graph, or files with it, against the shapes")
    p.add_argument("files", nargs="*", type=Path, help="RDF files to validate with the shipped graph (none: the "
                                                         "shipped graph itself)")
    p.add_argument("--format", choices=["text", "json", "turtle", "jsonld"], default="text",
                   help="report format")
    p.add_argument("--lang", default="fr", help="language of the messages (fr or en)")
    p.add_argument("--full", action="store_true", help="validate the whole graph, not only what the files affect")
    p.add_argument("--server", metavar="URL", help="check the files against a running service's current graph "
                                                     "(POST URL/validate) instead of the shipped files")

    p = command(sub, "query", help="run a named query or inline SPARQL on the shipped graph")
    p.add_argument("query", help="a query name from queries/, a .rq file, or SPARQL text")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a parameter of the named query (repeat for several)")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format")
    p.add_argument("--store", type=Path, default=None, help=store_help)

    p = command(sub, "stats", help="triples per graph and instances per class")
    p.add_argument("--store", type=Path, default=None, help=store_help)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "serve":
            from policygraph.web.server import serve

            return serve(host=args.host, port=args.port, store_path=args.store, reload_data=args.reload_data,
                         query_url=args.query_url, update_url=args.update_url,
                         graph_store_url=args.graph_store_url)
        if args.command == "hash-token":
            from policygraph.steward.tokens import main as hash_token_main

            return hash_token_main([args.name])
        if args.command == "load":
            from policygraph.web.server import load_command

            return load_command(store_path=args.store)
        if args.command == "import":
            from policygraph.territories.importer import import_command

            return import_command(source=args.source, region=args.region, output=args.output)
        if args.command == "validate":
            if args.server:
                from policygraph.validation.files import validate_files

                return validate_files(args.files, fmt=args.format, lang=args.lang, server=args.server)
            from policygraph.validation.files import validate_command

            return validate_command(files=args.files, fmt=args.format, lang=args.lang, full=args.full)
        if args.command == "query":
            from policygraph.queries.catalog import query_command

            return query_command(args.query, params=args.param, fmt=args.format, store_path=args.store)
        if args.command == "stats":
            from policygraph.queries.catalog import stats_command

            return stats_command(store_path=args.store)
    except KeyboardInterrupt:
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())
