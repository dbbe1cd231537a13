"""The sign-in e-mail. It is sent like every other mail of the service, through
:func:`alerts.delivery.transport.send_email` (the relay, or the file outbox when none is set)."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

from tenders.settings import Settings

# What a visitor sees when the relay did not take the mail: nothing is lost, asking again sends a new link.
MAIL_UNAVAILABLE = "Vi kunde inte skicka e-post just nu – försök igen om en stund."


def magic_link_message(settings: Settings, to: str, link: str, minutes_valid: int) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = "Er inloggningslänk till Anbudsvakt"
    message["Message-ID"] = make_msgid(domain="anbudsvakt")
    message.set_content(
        "Hej!\n\n"
        "Klicka på länken för att logga in på Anbudsvakt:\n\n"
        f"{link}\n\n"
        f"Länken gäller i {minutes_valid} minuter och kan bara användas en gång.\n"
        "Har ni inte bett om att logga in kan ni bortse från det här meddelandet.\n\n"
        "Upphandlingsdialog Dalarna\n"
    )
    return message
