"""Typer's and Click's own words in Swedish: the help option, "Usage:", the panel titles, the error frame.

Typer has no translations (it calls gettext with no catalogue): the help option's text and the usage prefix are
set by the command classes below, which ``build_app`` gives every command and group; the rich panels read module
constants of ``typer.rich_utils`` when they draw, so those are set just before help or an error is shown (importing
rich for every command would slow ``anbudsvakt --help``'s siblings down). Click's own error sentences ("Missing
option", "No such command", "Invalid value for") and type names (TEXT, INTEGER, PATH) stay English: Click builds
them inline with no hook to translate them.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

HELP_OPTION_HELP = "Visa den här hjälpen och avsluta."
USAGE_PREFIX = "Användning: "
OPTIONS_METAVAR = "[FLAGGOR]"
SUBCOMMAND_METAVAR = "KOMMANDO [ARGUMENT]..."
# typer.rich_utils's constants with their Swedish values.
RICH_TEXTS = {
    "ARGUMENTS_PANEL_TITLE": "Argument",
    "OPTIONS_PANEL_TITLE": "Flaggor",
    "COMMANDS_PANEL_TITLE": "Kommandon",
    "ERRORS_PANEL_TITLE": "Fel",
    "ABORTED_TEXT": "Avbrutet.",
    "RICH_HELP": "Se [blue]'{command_path} {help_option}'[/] för hjälp.",
    "DEFAULT_STRING": "[standard: {}]",
    "ENVVAR_STRING": "[miljövariabel: {}]",
    "REQUIRED_LONG_STRING": "[krävs]",
    "DEPRECATED_STRING": "(föråldrad) ",
}


def use_swedish_rich_texts() -> None:
    """Swedish titles and notes in Typer's rich help and error panels (idempotent)."""
    from typer import rich_utils

    for name, text in RICH_TEXTS.items():
        setattr(rich_utils, name, text)


class _Swedish:
    """Shared by the command and the group class: Swedish help option, usage line and rich texts."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_OPTION_HELP
        return option

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=USAGE_PREFIX)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        use_swedish_rich_texts()
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        # A usage error is raised while the arguments are parsed; Typer then draws it with rich_utils's texts.
        try:
            return super().make_context(*args, **kwargs)  # type: ignore[misc]
        except Exception:
            use_swedish_rich_texts()
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)  # type: ignore[misc]
        except Exception:
            use_swedish_rich_texts()  # an error from a command (typer.BadParameter) or an Abort
            raise


class SwedishCommand(_Swedish, TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["options_metavar"] = OPTIONS_METAVAR
        super().__init__(*args, **kwargs)


class SwedishGroup(_Swedish, TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["options_metavar"] = OPTIONS_METAVAR
        kwargs["subcommand_metavar"] = kwargs.get("subcommand_metavar") or SUBCOMMAND_METAVAR
        super().__init__(*args, **kwargs)


def use_swedish_classes(app: typer.Typer) -> None:
    """Every command and group of ``app`` (registered so far, at any depth) drawn by the Swedish classes."""
    for command in app.registered_commands:
        if command.cls in (None, TyperCommand):  # Typer fills in its own class when none is given
            command.cls = SwedishCommand
    for group in app.registered_groups:
        group.cls = SwedishGroup
        if group.typer_instance is not None:
            use_swedish_classes(group.typer_instance)
