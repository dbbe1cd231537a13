"""Transports: SMTP (or the file outbox when no relay is set) for e-mail, Apprise URLs for other channels.

Every transport reports a failure as one of two kinds, because the outbox must act differently on them:
- :class:`DefiniteSendError`: the message was certainly NOT accepted (no connection, a 4xx/5xx reply before or
  to DATA). Safe to try again; ``permanent`` (a 5xx reply) means trying again is pointless.
- :class:`AmbiguousSendError`: the connection broke while the message was being handed over. It may have been
  delivered; the outbox never resends such a message automatically.

:func:`send_email` is the plain "send this e-mail now" for other parts of the service (the sign-in mail).
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Protocol

from tenders.settings import Settings

SMTP_TIMEOUT_SECONDS = 30
SMTPS_PORT = 465  # implicit TLS (RFC 8314): TLS from the first byte, no STARTTLS
logger = logging.getLogger("anbudsvakt.mail")


class DefiniteSendError(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class AmbiguousSendError(Exception):
    pass


@dataclass(frozen=True)
class Notification:
    """What a non-e-mail channel receives: a title and the plain-text body."""

    title: str
    body: str


class EmailTransport(Protocol):
    def send(self, message: EmailMessage) -> None: ...


def _reply_failure(code: int, text: str) -> DefiniteSendError:
    return DefiniteSendError(f"SMTP {code}: {text}", permanent=500 <= code < 600)


class SmtpTransport:
    """One SMTP connection per message: digests are few (one per company per day), and a fresh connection keeps
    the "before DATA" / "during DATA" line sharp for the failure kinds above."""

    def __init__(self, settings: Settings, tls_context: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        # Without a context, smtplib on Python 3.11 encrypts but never checks the relay's certificate, so anyone
        # on the path could read the sign-in links; the default context verifies the chain and the host name.
        self.tls_context = tls_context or ssl.create_default_context()

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        try:
            if settings.smtp_port == SMTPS_PORT:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port,
                                                      timeout=SMTP_TIMEOUT_SECONDS, context=self.tls_context)
            else:
                smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS)
            if settings.smtp_starttls and settings.smtp_port != SMTPS_PORT:
                smtp.starttls(context=self.tls_context)
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
        except smtplib.SMTPResponseException as err:
            raise _reply_failure(err.smtp_code, _text(err.smtp_error)) from err
        except (OSError, smtplib.SMTPException) as err:  # refused, unreachable, timed out: nothing was sent
            raise DefiniteSendError(f"SMTP {settings.smtp_host}:{settings.smtp_port}: {err}") from err
        return smtp

    def send(self, message: EmailMessage) -> None:
        smtp = self._connect()
        try:
            smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as err:
            code, text = next(iter(err.recipients.values()))
            raise _reply_failure(code, _text(text)) from err
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as err:
            raise _reply_failure(err.smtp_code, _text(err.smtp_error)) from err
        except (OSError, smtplib.SMTPException) as err:
            # The connection broke while the message was on its way: the relay may or may not have it.
            raise AmbiguousSendError(f"SMTP-förbindelsen bröts under sändningen: {err}") from err
        finally:
            _quit_quietly(smtp)


class FileOutboxTransport:
    """Development without a relay: each e-mail is written to ``data_dir/outbox`` instead of being lost, and the
    console says where, with the sign-in link decoded (the .eml holds it quoted-printable, unusable as it is)."""

    def __init__(self, settings: Settings, label: str = "alert") -> None:
        self.settings = settings
        self.label = label

    def send(self, message: EmailMessage) -> None:
        outbox = self.settings.data_dir / "outbox"
        outbox.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = outbox / f"{stamp}-{self.label}.eml"
        path.write_bytes(bytes(message))
        logger.warning("Ingen SMTP-server inställd: e-post till %s sparad i %s", message["To"], path.resolve())
        for link in sign_in_links(message):
            logger.warning("Inloggningslänk: %s", link)


def sign_in_links(message: EmailMessage) -> list[str]:
    """The sign-in links in a message's text, decoded."""
    body = message.get_body(("plain",))
    text = body.get_content() if isinstance(body, EmailMessage) else ""
    return re.findall(r"https?://\S+/logga-in/lank\?\S+", text)


def email_transport(settings: Settings, label: str = "alert") -> EmailTransport:
    return SmtpTransport(settings) if settings.smtp_host else FileOutboxTransport(settings, label)


def send_email(settings: Settings, message: EmailMessage, label: str = "mail") -> None:
    """Send one e-mail through the configured relay (or the file outbox); raises the failure kinds above."""
    email_transport(settings, label).send(message)


class AppriseTransport:
    """Channels other than e-mail, addressed by Apprise URLs (``json://``, ``mmost://``, ``slack://`` ...)."""

    def send(self, url: str, notification: Notification) -> None:
        import apprise  # noqa: PLC0415 - 0.07 s at every start, for the few companies with a non-e-mail channel

        sender = apprise.Apprise()
        if not sender.add(url):
            raise DefiniteSendError("kanalens Apprise-adress går inte att tolka", permanent=True)
        try:
            delivered = sender.notify(title=notification.title, body=notification.body)
        except Exception as err:  # Apprise plugins raise what they like; the outcome is unknown
            raise AmbiguousSendError(f"Apprise: {err}") from err
        if not delivered:
            # Apprise reports False when the service answered with an error: nothing was accepted.
            raise DefiniteSendError("Apprise: kanalen tog inte emot meddelandet")


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _quit_quietly(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()
