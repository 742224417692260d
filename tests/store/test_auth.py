"""Steward tokens: hashed with scrypt, checked in constant time, configured as name:hash entries."""

import pytest

from policygraph import auth
from policygraph.settings import Settings, parse_token_entries


def test_a_token_matches_only_its_own_hash():
    token = auth.generate_token()
    hashed = auth.hash_token(token, n=2 ** 10)
    assert hashed.startswith("scrypt$1024$8$1$") and token not in hashed
    assert auth.matches(token, hashed)
    assert not auth.matches(token + "x", hashed)
    assert not auth.matches(token, auth.hash_token(token, n=2 ** 10).replace("scrypt", "md5"))
    assert not auth.matches(token, "garbage")
    assert auth.hash_token(token, n=2 ** 10) != hashed  # salted


def test_checker_names_the_steward_and_remembers_good_tokens():
    alice, bob = auth.generate_token(), auth.generate_token()
    checker = auth.TokenChecker({"alice": auth.hash_token(alice, n=2 ** 10), "bob": auth.hash_token(bob, n=2 ** 10)})
    assert checker.configured
    assert checker.steward(bob) == "bob" and checker.steward(alice) == "alice" and checker.steward("nope") is None
    checker.hashes.clear()  # a remembered token no longer needs its hash
    assert checker.steward(bob) == "bob"
    assert not auth.TokenChecker({}).configured


def test_token_entries_from_the_environment_and_a_file(tmp_path):
    file = tmp_path / "tokens"
    file.write_text("# stewards\nalice:scrypt$a\n\nbob : scrypt$b\n")
    settings = Settings.from_env({"POLICYGRAPH_STEWARD_TOKENS_FILE": str(file),
                                  "POLICYGRAPH_STEWARD_TOKENS": "carol:scrypt$c,bob:scrypt$B"})
    assert settings.steward_tokens == {"alice": "scrypt$a", "bob": "scrypt$B", "carol": "scrypt$c"}
    with pytest.raises(ValueError):
        parse_token_entries(["no-colon-here"])


def test_the_command_prints_a_token_and_its_entry(capsys):
    assert auth.main(["dora"]) == 0
    out = capsys.readouterr().out.splitlines()
    token = out[0].rsplit(" ", 1)[-1]
    name, hashed = out[-1].split(":", 1)
    assert name == "dora" and auth.matches(token, hashed)
    assert auth.main([]) == 2
