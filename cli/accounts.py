"""``anbudsvakt user add|list``: accounts for business developers and UDD staff (companies use magic links)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

ROLE_HELP = "developer (näringslivsutvecklare) eller staff (personal på Upphandlingsdialog Dalarna)"


@contextmanager
def auth_db() -> Iterator[Session]:
    """A transaction on the auth tables of the configured database (the embedded one migrated when behind)."""
    from sqlalchemy.orm import Session

    from tenders.settings import get_settings
    from tenders.store.engine import create_store_engine
    from tenders.store.schema import prepare_schema

    engine = create_store_engine(get_settings().sqlalchemy_url)
    try:
        prepare_schema(engine)
        with Session(engine) as db, db.begin():
            yield db
    finally:
        engine.dispose()


def add_user(
    email: Annotated[str, typer.Option(help="E-postadress att logga in med")],
    role: Annotated[str, typer.Option(help=ROLE_HELP)],
    name: Annotated[str, typer.Option(help="För- och efternamn")] = "",
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, envvar="ANBUDSVAKT_NEW_PASSWORD",
                          help="Minst 12 tecken; frågas efter om det inte anges")
    ] = "",
) -> None:
    """Skapa ett konto med lösenord för en näringslivsutvecklare eller personal."""
    from api.security.accounts import AccountError, Role, create_user

    if role not in {r.value for r in Role}:
        raise typer.BadParameter(f"rollen ska vara en av: {', '.join(r.value for r in Role)}", param_hint="--role")
    try:
        with auth_db() as db:
            user = create_user(db, email, password, Role(role), name)
    except AccountError as error:
        typer.echo(f"Kontot skapades inte: {error}", err=True)
        raise typer.Exit(code=1) from error
    typer.echo(f"Skapade konto {user.id}: {user.email} ({user.role.value})")


def list_users() -> None:
    """Lista konton: id, e-post, roll, aktiv eller avstängd (aldrig lösenord)."""
    from api.security.accounts import list_users as all_users

    with auth_db() as db:
        for user in all_users(db):
            typer.echo(f"{user.id}\t{user.email}\t{user.role.value}\t{'aktiv' if user.active else 'avstängd'}")


def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    users = typer.Typer(help="Konton för näringslivsutvecklare och personal.", no_args_is_help=True)
    users.command("add")(add_user)
    users.command("list")(list_users)
    app.add_typer(users, name="user")
