"""Reminders to EPNs: preview what each labelled EPN owes, and e-mail it in its language.

The coordinator's page and ``epn reminders`` both call :func:`preview` and :func:`send`.
Sending checks the principal (the coordinator), then, EPN by EPN, sends the message through
the SMTP server of the settings and records it in ``reminder_outbox`` whatever happened
(``sent``, ``failed`` with the reason, ``no_contact``), with an audit row, in a transaction
of its own: a failure for one EPN never stops the others, and nothing else changes. The
same reminder (same EPN, same things owed) is not sent again within ``RESEND_AFTER_DAYS``.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from epn import locale
from epn.i18n import t
from epn.principal import COORDINATOR, Principal
from epn.settings import Settings, get_settings, warehouse_path
from services.access import require_role
from warehouse import audit
from warehouse.db import connect, transaction
from warehouse.reminders import WEEKS_LISTED, Owed, owed

RESEND_AFTER_DAYS = 7


@dataclass
class Reminder:
    owed: Owed
    language: str
    subject: str
    body: str
    outcome: str  # preview | recent | sent | failed | no_contact
    detail: str | None = None

    def to_dict(self) -> dict:
        o = self.owed
        return {
            "epn_id": o.epn_id,
            "name": o.name,
            "recipient": o.contact_email,
            "language": self.language,
            "missing_weeks": [w.isoformat() for w in o.missing_weeks],
            "report_due": _year_deadline(o.report_due),
            "report_overdue": _year_deadline(o.report_overdue),
            "outcome": self.outcome,
            "detail": self.detail,
            "subject": self.subject,
        }

    def summary(self, lang: str) -> str:
        """What is owed, in one line of the reader's language."""
        o, parts = self.owed, []
        if o.missing_weeks:
            parts.append(t("reminders.owed.weeks", lang, count=len(o.missing_weeks)))
        for code, pair in (("due", o.report_due), ("overdue", o.report_overdue)):
            if pair:
                year, deadline = pair
                day = locale.day(deadline, lang)
                parts.append(t(f"reminders.owed.{code}", lang, year=year, deadline=day))
        return " · ".join(parts)


def preview(principal: Principal, as_of: dt.date, db=None, lang: str = "fr") -> list[Reminder]:
    """The reminder of every EPN that owes something on ``as_of``; writes nothing.

    Each message is in the EPN's language; what is said to the sender (``detail``) in
    ``lang``, the sender's.
    """
    require_role(principal, COORDINATOR, what="reminders.preview")
    with connect(warehouse_path(db)) as con:
        return _reminders(con, as_of, lang)


def send(principal: Principal, as_of: dt.date, db=None, lang: str = "fr") -> list[Reminder]:
    """Sends each EPN its reminder (see the module); returns every reminder with its outcome."""
    require_role(principal, COORDINATOR, what="reminders.send")
    settings = get_settings()
    with connect(warehouse_path(db)) as con:
        reminders = _reminders(con, as_of, lang)
        for reminder in reminders:
            if reminder.outcome == "recent":
                continue
            _deliver(reminder, settings, lang)
            with transaction(con):
                _record(con, reminder, as_of, principal.username)
    return reminders


def _reminders(con, as_of: dt.date, reader: str) -> list[Reminder]:
    recent = _recently_sent(con, as_of)
    reminders = []
    for o in owed(con, as_of):
        lang = locale.normalize_language(o.language)
        subject, body = _message(o, lang, as_of)
        if o.contact_email is None:
            outcome, detail = "no_contact", t("reminders.no_contact", reader, epn_id=o.epn_id)
        elif (o.epn_id, o.fingerprint()) in recent:
            outcome, detail = "recent", None
        else:
            outcome, detail = "preview", None
        reminders.append(Reminder(o, lang, subject, body, outcome, detail))
    return reminders


def _recently_sent(con, as_of: dt.date) -> set[tuple[str, str]]:
    since = as_of - dt.timedelta(days=RESEND_AFTER_DAYS - 1)
    return set(
        con.execute(
            "SELECT epn_id, fingerprint FROM reminder_outbox"
            " WHERE outcome = 'sent' AND as_of BETWEEN ? AND ?",
            [since, as_of],
        ).fetchall()
    )


def _message(o: Owed, lang: str, as_of: dt.date) -> tuple[str, str]:
    lines = [
        t("reminders.greeting", lang, name=o.name, epn_id=o.epn_id, date=locale.day(as_of, lang))
    ]
    if o.missing_weeks:
        shown = ", ".join(locale.day(w, lang) for w in o.missing_weeks[:WEEKS_LISTED])
        more = " …" if len(o.missing_weeks) > WEEKS_LISTED else ""
        lines.append(
            t(
                "reminders.item.weeks",
                lang,
                count=len(o.missing_weeks),
                first=locale.day(o.missing_weeks[0], lang),
                weeks=shown + more,
            )
        )
    for code, pair in (("due", o.report_due), ("overdue", o.report_overdue)):
        if pair:
            year, deadline = pair
            lines.append(
                t(f"reminders.item.{code}", lang, year=year, deadline=locale.day(deadline, lang))
            )
    lines.append("")
    lines.append(t("reminders.closing", lang))
    return t("reminders.subject", lang, name=o.name), "\n".join(lines)


def _deliver(reminder: Reminder, settings: Settings, lang: str) -> None:
    """Sends one reminder; sets its outcome (and, when it failed, the reason in ``lang``)."""
    if reminder.outcome == "no_contact":
        return
    message = EmailMessage()
    message["From"] = settings.smtp_sender
    message["To"] = reminder.owed.contact_email
    message["Subject"] = reminder.subject
    message["Content-Language"] = reminder.language
    message.set_content(reminder.body)
    host, port = settings.smtp_host, settings.smtp_port
    try:
        with smtplib.SMTP(host, port, timeout=settings.smtp_timeout_seconds) as server:
            if settings.smtp_starttls:
                server.starttls()
            if settings.smtp_username:
                server.login(settings.smtp_username, settings.smtp_password or "")
            server.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        reminder.outcome = "failed"
        detail = "; ".join(
            f"{code} {text.decode(errors='replace')}" for code, text in error.recipients.values()
        )
        reminder.detail = t(
            "reminders.smtp_refused", lang, recipient=reminder.owed.contact_email, detail=detail
        )
    except (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected, OSError) as error:
        # SMTPServerDisconnected is an OSError too: the server is out of reach
        reminder.outcome = "failed"
        reminder.detail = t("reminders.smtp_unreachable", lang, host=host, port=port, detail=error)
    except smtplib.SMTPException as error:
        reminder.outcome = "failed"
        reminder.detail = t("reminders.smtp_error", lang, detail=error)
    else:
        reminder.outcome = "sent"


def _record(con, reminder: Reminder, as_of: dt.date, username: str) -> None:
    o = reminder.owed
    message_id = con.execute(
        "INSERT INTO reminder_outbox (epn_id, as_of, fingerprint, recipient, language, subject,"
        " body, outcome, detail, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING message_id",
        [
            o.epn_id,
            as_of,
            o.fingerprint(),
            o.contact_email,
            reminder.language,
            reminder.subject,
            reminder.body,
            reminder.outcome,
            reminder.detail,
            username,
        ],
    ).fetchone()[0]
    audit.record(
        con, username, "reminder", o.epn_id, reminder.outcome, message_id=message_id, as_of=as_of
    )


def _year_deadline(pair: tuple[int, dt.date] | None) -> dict | None:
    return None if pair is None else {"year": pair[0], "deadline": pair[1].isoformat()}
