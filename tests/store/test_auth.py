"""Steward tokens: hashed with scrypt, checked in constant time, configured as name:hash entries."""

import pytest

from policygraph.settings import Settings, parse_token_entries
from policygraph.steward import tokens


def test_a_token_matches_only_its_own_hash():
    token = tokens.generate_token()
    hashed = tokens.hash_token(token, n=2 ** 10)
    assert hashed.startswith("scrypt$1024$8$1$") and token not in hashed
    assert tokens.matches(token, hashed)
    assert not tokens.matches(token + "x", hashed)
    assert not tokens.matches(token, tokens.hash_token(token, n=2 ** 10).replace("scrypt", "md5"))
    assert not tokens.matches(token, "garbage")
    assert tokens.hash_token(token, n=2 ** 10) != hashed  # salted


def test_checker_names_the_steward_and_remembers_good_tokens():
    alice, bob = tokens.generate_token(), tokens.generate_token()
    checker = tokens.TokenChecker({"alice": tokens.hash_token(alice, n=2 ** 10), "bob": tokens.hash_token(bob, n=2 ** 10)})
    assert checker.configured
    assert checker.steward(bob) == "bob" and checker.steward(alice) == "alice" and checker.steward("nope") is None
    checker.hashes.clear()  # a remembered token no longer needs its hash
    assert checker.steward(bob) == "bob"
    assert not tokens.TokenChecker({}).configured


def test_token_entries_from_the_environment_and_a_file(tmp_path):
    file = tmp_path / "tokens"
    file.write_text("# stewards\nalice:scrypt$a\n\nbob : scrypt$b\n")
    settings = Settings.from_env({"POLICYGRAPH_STEWARD_TOKENS_FILE": str(file),
                                  "POLICYGRAPH_STEWARD_TOKENS": "carol:scrypt$c,bob:scrypt$B"})
    assert settings.steward_tokens == {"alice": "scrypt$a", "bob": "scrypt$B", "carol": "scrypt$c"}
    with pytest.raises(ValueError):
        parse_token_entries(["no-colon-here"])


def test_the_command_prints_a_token_and_its_entry(capsys):
    assert tokens.main(["dora"]) == 0
    out = capsys.readouterr().out.splitlines()
    token = out[0].rsplit(" ", 1)[-1]
    name, hashed = out[-1].split(":", 1)
    assert name == "dora" and tokens.matches(token, hashed)
    assert tokens.main([]) == 2
