"""Sending email: through SMTP when configured, otherwise into an outbox folder on disk.

The outbox lets the embedded default work with no mail server: each message is a .eml file
in instance/outbox/ that any mail program (or a person with a text editor) can open.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

logger = logging.getLogger(__name__)


def send_email(to: str, subject: str, body: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4()}@information-sharing-training>"
    message.set_content(body)
    if config.get("SMTP_HOST"):
        import smtplib  # only where mail is sent: web workers start without it

        with smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=20) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config.get("SMTP_USERNAME"):
                smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
            smtp.send_message(message)
        logger.info("email sent by SMTP", extra={"subject": subject})
        return
    outbox = outbox_folder()
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    (outbox / f"{stamp}-{uuid.uuid4().hex[:8]}.eml").write_bytes(bytes(message))
    logger.info("email written to the outbox", extra={"subject": subject})


def outbox_folder() -> Path:
    return Path(current_app.instance_path) / "outbox"
