"""Render digests and follow messages (Jinja2) into e-mails with RFC 8058 one-click unsubscribe headers."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from alerts.delivery.transport import Notification
from alerts.digest.model import Digest, FollowMessage

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # Built on first use, not at import; autoescape for the HTML parts only (the .txt parts are plain text).
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(enabled_extensions=("html.jinja",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render_text(template: str, **context: object) -> str:
    return _environment().get_template(template).render(**context)


def unsubscribe_headers(message: EmailMessage, *, mail_from: str, unsubscribe_link: str, token: str) -> None:
    """``List-Unsubscribe`` with a mailto and an https address, and RFC 8058 one-click (a POST to the https one)."""
    sender = parseaddr(mail_from)[1] or "anbudsvakt@localhost"
    mailto = f"mailto:{sender}?subject={quote('avregistrera ' + token)}"
    message["List-Unsubscribe"] = f"<{mailto}>, <{unsubscribe_link}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"


def _email(*, subject: str, mail_from: str, to: str, message_id: str, text: str, html: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = Address(addr_spec=to)
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to an alert
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


# Which templates render each kind of message, and under which name they see it.
_TEMPLATES: dict[type, tuple[str, str]] = {Digest: ("digest", "digest"), FollowMessage: ("follow", "message")}


def _parts(message: Digest | FollowMessage) -> tuple[str, str]:
    stem, name = _TEMPLATES[type(message)]
    return render_text(f"{stem}.txt.jinja", **{name: message}), render_text(f"{stem}.html.jinja", **{name: message})


def alert_email(message: Digest | FollowMessage, *, mail_from: str, to: str, message_id: str,
                token: str) -> EmailMessage:
    """A digest or a followed change as a multipart e-mail (plain text + HTML) with the unsubscribe headers."""
    text, html = _parts(message)
    email = _email(subject=message.subject, mail_from=mail_from, to=to, message_id=message_id, text=text, html=html)
    unsubscribe_headers(email, mail_from=mail_from, unsubscribe_link=message.unsubscribe_link, token=token)
    return email


def alert_notification(message: Digest | FollowMessage) -> Notification:
    """The same message for a non-e-mail channel: its subject and the plain-text part."""
    return Notification(title=message.subject, body=_parts(message)[0])
