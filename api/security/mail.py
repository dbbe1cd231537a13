"""Sending the sign-in e-mail: SMTP to the configured relay, or a file in ``data_dir/outbox`` when none is set."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid

from tenders.settings import Settings


def magic_link_message(settings: Settings, to: str, link: str, minutes_valid: int) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = "Din inloggningslänk till Anbudsvakt"
    message["Message-ID"] = make_msgid(domain="anbudsvakt")
    message.set_content(
        "Hej!\n\n"
        "Klicka på länken för att logga in på Anbudsvakt:\n\n"
        f"{link}\n\n"
        f"Länken gäller i {minutes_valid} minuter och kan bara användas en gång.\n"
        "Har du inte bett om att logga in kan du bortse från det här meddelandet.\n\n"
        "Upphandlingsdialog Dalarna\n"
    )
    return message


def send_message(settings: Settings, message: EmailMessage) -> None:
    if not settings.smtp_host:
        _write_to_outbox(settings, message)
        return
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)


def _write_to_outbox(settings: Settings, message: EmailMessage) -> None:
    # Development without a relay: the link is still reachable, in a file, instead of being lost.
    outbox = settings.data_dir / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    (outbox / f"{stamp}-signin.eml").write_bytes(bytes(message))
