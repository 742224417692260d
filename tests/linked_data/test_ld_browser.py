"""One page of each kind, rendered by a real headless browser (Debian's chromium), without JavaScript.

The test needs ``chromium`` (``apt-get install -y chromium``); without it, it fails and says so.
``--dump-dom`` gives the document the browser built; a screenshot per page is written to a
temporary folder and must be a real picture (a PNG of the window's size, not a blank file).
"""

from __future__ import annotations

import html
import shutil
import struct
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

PAGES = {
    "contract": ("/id/contract/perr-le-quesnoy",
                 ["Protocole d'engagements renforcés et réciproques du contrat de ville du Quesnoy 2020-2022",
                  "parties", "Région Hauts-de-France", "start year", "Axes and measures", "Commitments",
                  "Sources", "SPARQL queries"]),
    "territory": ("/id/territory/commune/59481",
                  ["Le Quesnoy", "59481", "Contracts and policies that cover it", "Contrat de ville du Quesnoy",
                   "Cœur d'étoile", "CC du Pays de Mormal"]),
    "actor": ("/id/actor/region/32", ["Région Hauts-de-France", "Its commitments", "signature"]),
    "measure": ("/id/contract/perr-le-quesnoy/measure/19", ["measure", "in contract", "Sources"]),
    "commitment": ("/id/contract/perr-le-quesnoy/signature/region-32",
                   ["Région Hauts-de-France", "committed actor", "signataire", "Xavier BERTRAND"]),
    "passage": ("/id/document/004_4b7e9e6a0ac3b2cb/passage/285-291", ["lines 285–291", "quote", "Facts this passage states"]),
    "document": ("/id/document/004_4b7e9e6a0ac3b2cb", ["Avenant au contrat de ville du Quesnoy", "Passages"]),
    "concept": ("/voc/contract-kind/cper", ["contrat de plan État-Région", "Contracts of this kind"]),
    "collection": ("/contracts?covering=territory/commune/59481", ["Contracts", "Contrat de ville du Quesnoy", "Filter"]),
    "dataset": ("/.well-known/void", ["policygraph", "Licence Ouverte", "policygraph.ttl.gz", "Named graphs"]),
    "ontology": ("/def", ["policygraph ontology", "Classes", "EnhancedCommitmentProtocol", "territorial scope"]),
    "home": ("/", ["policygraph", "Contracts", "SPARQL endpoint"]),
}
SCREENSHOTS = ("contract", "territory", "actor", "collection")
WINDOW = (1280, 1600)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not found:
        pytest.fail("the HTML pages are checked in a real browser: install Debian's chromium "
                    "(apt-get update && apt-get install -y chromium)")
    return found


def run_browser(*args: str, timeout: float = 90) -> subprocess.CompletedProcess:
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    try:
        return subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                               "--disable-extensions", "--no-first-run", f"--user-data-dir={profile}", *args],
                              capture_output=True, timeout=timeout, text=True)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def rendered(ld_server) -> dict[str, str]:
    def dump(kind: str) -> tuple[str, str]:
        result = run_browser("--dump-dom", ld_server.url + PAGES[kind][0])
        return kind, result.stdout

    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(pool.map(dump, PAGES))


@pytest.mark.parametrize("kind", list(PAGES))
def test_the_browser_renders_the_page_with_its_key_facts(ld_server, rendered, kind):
    path, facts = PAGES[kind]
    dom = html.unescape(rendered[kind])  # the browser's serialization escapes differently from Jinja
    assert "<h1" in dom and "</html>" in dom, f"chromium rendered no page for {path}"
    served = httpx.get(ld_server.url + path, headers={"Accept": "text/html"}).text
    title = html.unescape(served.split("<title>", 1)[1].split("</title>", 1)[0])
    assert f"<title>{title}</title>" in dom
    for fact in facts:
        assert fact in dom, (kind, fact)
    assert "<script" not in served  # plain server-rendered HTML: nothing to run


def test_screenshots_are_real_pictures(ld_server, tmp_path):
    def shoot(kind: str) -> Path:
        target = Path(tempfile.gettempdir()) / f"policygraph-{kind}.png"
        target.unlink(missing_ok=True)
        result = run_browser(f"--screenshot={target}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
                             ld_server.url + PAGES[kind][0])
        assert target.exists(), result.stderr[-2000:]
        return target

    with ThreadPoolExecutor(max_workers=2) as pool:
        shots = list(pool.map(shoot, SCREENSHOTS))
    for shot in shots:
        assert png_size(shot) == WINDOW
        # A blank or single-colour window compresses to a few kilobytes; a page of text does not.
        assert shot.stat().st_size > 40_000, (shot, shot.stat().st_size)
    print("\nscreenshots: " + ", ".join(str(s) for s in shots))
