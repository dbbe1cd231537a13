"""``anbudsvakt digest ...``, ``anbudsvakt jobs ...`` and ``anbudsvakt scheduler``: alerts and the daily jobs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

# Why a dry run can show nothing: the outbox only fills from the matching, under the rules of matcher/eligibility.py.
EMPTY_OUTBOX = (
    "Utkorgen är tom. Den fylls av matchningen (`anbudsvakt jobs run-once`), och bara med annonser som kom in i "
    "databasen efter att företaget registrerades och som då var högst 7 dagar gamla; redan skickade visas inte igen. "
    "Prova: registrera ett företag (`anbudsvakt company add`), läs in annonser (`anbudsvakt load --demo` eller "
    "`anbudsvakt crawl ted`) och kör `anbudsvakt jobs run-once --no-crawl`."
)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"Fel: {message}", err=True)
    return typer.Exit(2)


def send(dry_run: Annotated[bool, typer.Option("--dry-run", help="Visa vad som skulle skickas; skicka inget")]
         = False) -> None:
    """Skicka dagens sammanställningar och ändringar i följda upphandlingar som väntar i utkorgen."""
    from alerts.support import SupportCatalogueError
    from app.daily import send_digests
    from tenders.settings import get_settings

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        if dry_run:
            from alerts.digest.preview import describe, preview_outgoing

            outgoing = preview_outgoing(settings, datetime.now(UTC))
            for item in outgoing:
                typer.echo(describe(item))
                typer.echo("-" * 72)
            typer.echo(f"{len(outgoing)} meddelanden skulle skickas (inget skickades).", err=True)
            if not outgoing:
                typer.echo(EMPTY_OUTBOX, err=True)
            return
        report = send_digests(settings)
    except SupportCatalogueError as err:
        raise _fail(str(err)) from err
    typer.echo(report.summary())
    if report.review:
        typer.echo("Några utskick avbröts mitt i sändningen: se `anbudsvakt digest review`.", err=True)


def review() -> None:
    """Utskick vars utfall är okänt (avbrutna under sändning): Message-ID, företag, fel."""
    from alerts.delivery.outbox import rows_in_review
    from tenders.settings import get_settings
    from tenders.store import TenderStore

    store = TenderStore.from_settings(get_settings())
    for row in rows_in_review(store.engine):
        typer.echo(f"{row.message_id}\t{row.company_id}\t{row.channel}\t{row.notice_id}\t{row.last_error}")


def requeue(message_id: str) -> None:
    """Lägg tillbaka ett granskat utskick som INTE levererades (kontrollera relayets logg först)."""
    from alerts.delivery.outbox import requeue_for_review
    from tenders.settings import get_settings
    from tenders.store import TenderStore

    store = TenderStore.from_settings(get_settings())
    count = requeue_for_review(store.engine, message_id, datetime.now(UTC))
    if not count:
        raise _fail(f"inget utskick att granska med Message-ID {message_id}")
    typer.echo(f"{count} bevakningar skickas igen vid nästa utskick.")


def check_catalogue() -> None:
    """Kontrollera stödkatalogen (alerts/data/support_catalogue.yaml) efter en ändring."""
    from alerts.support import SupportCatalogueError, load_catalogue

    try:
        catalogue = load_catalogue()
    except SupportCatalogueError as err:
        raise _fail(str(err)) from err
    typer.echo(f"Stödkatalogen är giltig: {len(catalogue.stod)} stödformer, {len(catalogue.regler)} regler.")


def run_once(crawl: Annotated[bool, typer.Option("--crawl/--no-crawl", help="Genomsök källorna först")] = True
             ) -> None:
    """Kör dagens jobb nu, i ordning: genomsökning, indexering, matchning, följda upphandlingar, utskick."""
    from app.daily import run_once as run_jobs_once
    from tenders.settings import get_settings

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    typer.echo(run_jobs_once(settings, crawl=crawl))


def backfill(since: Annotated[datetime, typer.Option("--since", formats=["%Y-%m-%d"],
                                                     help="Hämta notiser publicerade från detta datum")]) -> None:
    """Återfyll lagret från ett datum. En återfyllnad skickar ALDRIG bevakningar om det den hämtar."""
    from app.daily import daily_pipeline
    from tenders.settings import get_settings

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    typer.echo(daily_pipeline(settings, backfill_since=since.date()).summary())


def scheduler() -> None:
    """Kör schemaläggaren i förgrunden (containern "scheduler"): jobben kl. 05 och utskicken kl. 07."""
    import time

    from app.daily import build_scheduler
    from cli.db import exit_unless_migrated
    from tenders.settings import get_settings

    settings = get_settings()
    exit_unless_migrated(settings)  # PostgreSQL: `anbudsvakt db upgrade` first; the embedded SQLite migrates itself
    jobs = build_scheduler(settings)
    jobs.start()
    for job in jobs.get_jobs():
        typer.echo(f"{job.id}: nästa körning {job.next_run_time}", err=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        jobs.shutdown()


def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    digest_app = typer.Typer(help="Dagliga sammanställningar och utkorgen.", no_args_is_help=True)
    digest_app.command("send")(send)
    digest_app.command("review")(review)
    digest_app.command("requeue")(requeue)
    digest_app.command("check-catalogue")(check_catalogue)
    app.add_typer(digest_app, name="digest")
    jobs_app = typer.Typer(help="De schemalagda jobben, körda för hand.", no_args_is_help=True)
    jobs_app.command("run-once")(run_once)
    jobs_app.command("backfill")(backfill)
    app.add_typer(jobs_app, name="jobs")
    app.command("scheduler")(scheduler)
