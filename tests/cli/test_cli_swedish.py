"""Every command's help is Swedish (issue #14): the users are UDD staff and business developers in Dalarna.

The test walks the whole command tree Typer builds (``typer.main.get_command``) and looks for common English words
in each command's help and each parameter's help, the help option Typer adds included. Technical words the users
type (command names, CPV, OCDS, JSON, file formats) are not on the list.
"""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from cli.main import build_app
from cli.notices import reindex_summary

ENGLISH = (" the ", " and ", " of ", " to ", " from ", " with ", " when ", " is ", " are ", " or ", " for ",
           " this ", " not ", " each ", " one ", " its ", " show ", " without ", " into ", " at least ", " only ",
           "Rebuild", "Serve", "Show ", "Create ", "List ", "Migrate", "Install ", "Address ", "Full name",
           "Sign-in", "characters", " message ", "exit.", "Usage")


def commands() -> Iterator[tuple[str, Any]]:
    """(command path, command) for the root, every group and every command under them."""
    pending: list[tuple[str, Any]] = [("anbudsvakt", get_command(build_app()))]
    while pending:
        path, command = pending.pop()
        yield path, command
        pending.extend((f"{path} {name}", sub) for name, sub in getattr(command, "commands", {}).items())


def english_in(text: str | None) -> list[str]:
    padded = " " + re.sub(r"\s+", " ", text or "") + " "
    return [word for word in ENGLISH if word.lower() in padded.lower()]


COMMANDS = dict(commands())


def test_the_tree_holds_every_command():
    assert {"anbudsvakt reindex", "anbudsvakt serve", "anbudsvakt user add", "anbudsvakt eval matcher",
            "anbudsvakt stats dashboard", "anbudsvakt crawl ted", "anbudsvakt db upgrade"} <= set(COMMANDS)
    assert len(COMMANDS) > 40


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_help_is_swedish(path):
    command = COMMANDS[path]
    ctx = command.make_context(path.split()[-1], [], resilient_parsing=True)
    found = {"(help)": english_in(command.help), "(short help)": english_in(command.short_help)}
    for param in command.get_params(ctx):  # includes the help option Typer adds
        found[param.name or "?"] = english_in(getattr(param, "help", None))
    assert {name: words for name, words in found.items() if words} == {}


def test_the_help_page_itself_is_swedish():
    result = CliRunner().invoke(build_app(), ["user", "add", "--help"], prog_name="anbudsvakt")
    assert result.exit_code == 0
    for swedish in ("Användning: anbudsvakt user add", "Flaggor", "Visa den här hjälpen och avsluta", "[krävs]"):
        assert swedish in result.output
    assert not english_in(result.output), result.output
    assert "--install-completion" not in CliRunner().invoke(build_app(), ["--help"]).output


def test_reindex_says_what_it_did_in_swedish():
    assert reindex_summary(61, 1) == "indexerade 61 upphandlingar, misslyckade 1"
