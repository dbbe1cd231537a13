"""The ``anbudsvakt`` command. Each command group lives in its own module with a ``register(app)``.

Heavy imports (Scrapy, spaCy, FastAPI) stay inside the commands so that ``anbudsvakt --help`` and the
light commands start fast: this module imports every command module to register its commands, so an import at a
command module's top is paid by every command. Measured (best of 7 on a shared 2-core machine): ``anbudsvakt --help``
1.0 s, 2.6 s with all that the commands import; hence ruff's PLC0415 is ignored for cli/ (pyproject.toml).
"""

from __future__ import annotations

import importlib

import typer

from cli.swedish import SwedishGroup, use_swedish_classes
from tenders.store.schema import SchemaNotCurrentError

# Add a module here (one line each) when it defines new commands; each has ``register(app, groups)``.
COMMAND_MODULES: tuple[str, ...] = (
    "cli.crawl",
    "cli.notices",
    "cli.stats",
    "cli.parse",
    "cli.serve",
    "cli.accounts",
    "cli.sources",
    "cli.coverage",
    "cli.classify",
    "cli.match",
    "cli.company",
    "cli.digest",
    "cli.ocds",
    "cli.db",
)

# Sub-command groups that several modules add to (``anbudsvakt eval classifier``, ``anbudsvakt eval matcher``).
GROUPS = {
    "eval": "Utvärdera klassificering och matchning på data som träningen aldrig sett.",
    "stats": "Statistik över små och medelstora företags deltagande.",
    "source": "Deklarativa källor: prova vad en källdefinition extraherar.",
    "export": "Exportera data i öppna format (OCDS) för andra verktyg.",
    "db": "Databasens schema: migrera (upgrade) och visa versioner (current).",
}


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="anbudsvakt",
        help="Anbudsvakt – offentliga upphandlingar i Dalarna för små och medelstora företag.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        # No --install-completion/--show-completion: Typer's help for them is English only, and the command runs
        # in containers and on the scheduler host, where nobody installs shell completion.
        add_completion=False,
        cls=SwedishGroup,
    )
    groups = {name: typer.Typer(help=text, no_args_is_help=True) for name, text in GROUPS.items()}
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(app, groups)
    for name, group in groups.items():
        if group.registered_commands:
            app.add_typer(group, name=name)
    use_swedish_classes(app)  # Typer's and Click's own help words in Swedish (cli/swedish.py)
    return app


def run() -> None:
    try:
        build_app()()
    except SchemaNotCurrentError as error:
        # Any command on a PostgreSQL database that is behind: the operator has a step to run, not a bug to report.
        typer.echo(str(error), err=True)
        raise SystemExit(2) from error
