"""The ``policygraph`` command: each sub-command is a thin wrapper over a core function.

Exit status: 0 success (and, for ``validate``, conformance), 1 data violates the shapes,
2 usage or syntax error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policygraph", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="serve the graph over HTTP (SPARQL, linked data)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--store", type=Path, default=None, help="embedded store folder (default: ./var/store)")
    p.add_argument("--reload-data", action="store_true", help="reload the shipped data into the store")
    p.add_argument("--query-url", help="SPARQL query endpoint of an external triplestore (instead of the embedded store)")
    p.add_argument("--update-url", help="SPARQL update endpoint of the external triplestore")
    p.add_argument("--graph-store-url", help="Graph Store Protocol endpoint of the external triplestore")

    p = sub.add_parser("hash-token", help="make a new steward token and the hashed entry to configure")
    p.add_argument("name", help="the steward's name")

    p = sub.add_parser("load", help="(re)load the shipped data into the embedded store")
    p.add_argument("--store", type=Path, default=None)

    p = sub.add_parser("import", help="import reference data")
    imp = p.add_subparsers(dest="what", required=True)
    t = imp.add_parser("territories", help="import the Code officiel géographique (decoupage-administratif)")
    t.add_argument("--source", type=Path, default=None,
                   help="folder with regions.json, departements.json… (default: fetch the npm package)")
    t.add_argument("--region", default="32", help="INSEE code of the region to keep, or 'all' (default: 32)")
    t.add_argument("--output", type=Path, default=None,
                   help="Turtle file to write (default: data/territories/hauts-de-france.ttl for 32)")

    p = sub.add_parser("validate", help="validate the shipped graph, or files with it, against the shapes")
    p.add_argument("files", nargs="*", type=Path)
    p.add_argument("--format", choices=["text", "json", "turtle", "jsonld"], default="text")
    p.add_argument("--lang", default="fr", help="language of the messages (fr or en)")
    p.add_argument("--full", action="store_true", help="validate the whole graph, not only what the files affect")
    p.add_argument("--server", metavar="URL", help="check the files against a running service's current graph "
                                                     "(POST URL/validate) instead of the shipped files")

    p = sub.add_parser("query", help="run a named query or inline SPARQL on the shipped graph")
    p.add_argument("query", help="a query name from queries/, a .rq file, or SPARQL text")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--store", type=Path, default=None)

    p = sub.add_parser("stats", help="triples per graph and instances per class")
    p.add_argument("--store", type=Path, default=None)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "serve":
            from .server import serve

            return serve(host=args.host, port=args.port, store_path=args.store, reload_data=args.reload_data,
                         query_url=args.query_url, update_url=args.update_url,
                         graph_store_url=args.graph_store_url)
        if args.command == "hash-token":
            from .auth import main as hash_token_main

            return hash_token_main([args.name])
        if args.command == "load":
            from .server import load_command

            return load_command(store_path=args.store)
        if args.command == "import":
            from .territories import import_command

            return import_command(source=args.source, region=args.region, output=args.output)
        if args.command == "validate":
            if args.server:
                from .file_validation import validate_files

                return validate_files(args.files, fmt=args.format, lang=args.lang, server=args.server)
            from .validation import validate_command

            return validate_command(files=args.files, fmt=args.format, lang=args.lang, full=args.full)
        if args.command == "query":
            from .queries import query_command

            return query_command(args.query, params=args.param, fmt=args.format, store_path=args.store)
        if args.command == "stats":
            from .queries import stats_command

            return stats_command(store_path=args.store)
    except KeyboardInterrupt:
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())
