"""Steward tokens: generated once, stored only as salted scrypt hashes, checked in constant time.

The operator creates a token for each steward and configures its hash::

    $ python -m policygraph.steward.tokens alice
    token (give it to alice, it is not stored):  pgt_3q0…
    entry (put it in POLICYGRAPH_STEWARD_TOKENS or the tokens file):
    alice:scrypt$16384$8$1$<salt>$<hash>

Writes carry ``Authorization: Bearer <token>`` (RFC 6750 §2.1).  A hash is
``scrypt$N$r$p$salt$digest`` (base64url, RFC 7914 parameters): a leaked configuration does not
reveal the tokens.  Successful checks are remembered (keyed by a SHA-256 of the token, in memory
only) so that scrypt's deliberate cost is paid once per token, not on every write.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import sys
import threading
from typing import Mapping

_N, _R, _P = 2 ** 14, 8, 1


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate_token() -> str:
    return "pgt_" + secrets.token_urlsafe(32)


def hash_token(token: str, *, n: int = _N, r: int = _R, p: int = _P) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(token.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def matches(token: str, hashed: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = hashed.split("$")
        if scheme != "scrypt":
            return False
        computed = hashlib.scrypt(token.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p),
                                  dklen=len(_unb64(digest)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, _unb64(digest))


class TokenChecker:
    """Who a bearer token belongs to, given the configured ``{name: hash}``."""

    def __init__(self, hashes: Mapping[str, str]):
        self.hashes = dict(hashes)
        self._known: dict[bytes, str] = {}
        self._lock = threading.Lock()

    @property
    def configured(self) -> bool:
        return bool(self.hashes)

    def steward(self, token: str) -> str | None:
        key = hashlib.sha256(token.encode()).digest()
        with self._lock:
            name = self._known.get(key)
        if name is not None:
            return name
        found = None
        for candidate, hashed in self.hashes.items():
            # Every entry is tried, so the time taken does not tell which entry matched.
            if matches(token, hashed) and found is None:
                found = candidate
        if found is not None:
            with self._lock:
                self._known[key] = found
        return found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or ":" in args[0] or not args[0].strip():
        print("usage: python -m policygraph.steward.tokens STEWARD_NAME", file=sys.stderr)
        return 2
    token = generate_token()
    print(f"token (give it to {args[0]}, it is not stored):  {token}")
    print("entry (put it in POLICYGRAPH_STEWARD_TOKENS or the tokens file):")
    print(f"{args[0]}:{hash_token(token)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
