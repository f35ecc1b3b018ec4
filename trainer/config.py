"""Settings from TRAINER_* environment variables, with safe local defaults."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

MIN_SECRET_BYTES = 32
# In the instance folder, made on first start outside production.
KEY_FILE_NAME = "secret_key"

# Environment variable -> config key. Defaults live in load_config; the README lists both.
ENVIRONMENT: dict[str, str] = {
    "TRAINER_SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "TRAINER_CONTENT_DIR": "CONTENT_DIR",
    "TRAINER_ENV": "ENV_NAME",
    "TRAINER_RATELIMIT_STORAGE_URL": "RATELIMIT_STORAGE_URI",
    "TRAINER_RATELIMIT_KEY_PREFIX": "RATELIMIT_KEY_PREFIX",
    "TRAINER_LOGIN_RATE_LIMIT": "LOGIN_RATE_LIMIT",
    "TRAINER_VERIFY_RATE_LIMIT": "VERIFY_RATE_LIMIT",
    "TRAINER_JOIN_RATE_LIMIT": "JOIN_RATE_LIMIT",
    "TRAINER_GUEST_RETENTION_DAYS": "GUEST_RETENTION_DAYS",
    "TRAINER_ACCOUNT_RETENTION_YEARS": "ACCOUNT_RETENTION_YEARS",
    "TRAINER_AUDIT_RETENTION_YEARS": "AUDIT_RETENTION_YEARS",
    "TRAINER_BASE_URL": "BASE_URL",
    "TRAINER_MAIL_FROM": "MAIL_FROM",
    "TRAINER_SMTP_HOST": "SMTP_HOST",
    "TRAINER_SMTP_PORT": "SMTP_PORT",
    "TRAINER_SMTP_USERNAME": "SMTP_USERNAME",
    "TRAINER_SMTP_PASSWORD": "SMTP_PASSWORD",
    "TRAINER_SESSION_IDLE_MINUTES": "SESSION_IDLE_MINUTES",
    "TRAINER_SESSION_HOURS": "SESSION_HOURS",
    "TRAINER_MAX_REQUEST_BYTES": "MAX_CONTENT_LENGTH",
    "TRAINER_ACCOUNT_LOGIN_RATE_LIMIT": "ACCOUNT_LOGIN_RATE_LIMIT",
    "TRAINER_PROXY_COUNT": "PROXY_COUNT",
}
WHOLE_NUMBERS = (
    "SESSION_IDLE_MINUTES",
    "SESSION_HOURS",
    "MAX_CONTENT_LENGTH",
    "GUEST_RETENTION_DAYS",
    "ACCOUNT_RETENTION_YEARS",
    "AUDIT_RETENTION_YEARS",
)


def _truthy(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _defaults(instance_path: Path) -> dict:
    """Safe settings for a laptop; the README's configuration table lists them."""
    project_root = Path(__file__).resolve().parent.parent
    return {
        "SECRET_KEY": "",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance_path / 'trainer.db'}",
        "CONTENT_DIR": str(project_root),
        "ENV_NAME": "development",
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_KEY_PREFIX": "trainer",
        "LOGIN_RATE_LIMIT": "10 per minute;50 per hour",
        "VERIFY_RATE_LIMIT": "30 per minute;300 per hour",
        "ACCOUNT_LOGIN_RATE_LIMIT": "10 per 10 minutes",
        "PROXY_COUNT": 0,  # how many proxies in front set X-Forwarded-For; 0 trusts none
        "SESSION_COOKIE_HTTPONLY": True,
        # The cookie is signed again only when it changes (at most once a minute, when the
        # idle clock moves on), not on every request; the limits are checked on the server.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "BASE_URL": "",
        "MAIL_FROM": "Information Sharing Training <no-reply@localhost>",
        "SMTP_HOST": "",
        "SMTP_PORT": "587",
        "SMTP_USERNAME": "",
        "SMTP_PASSWORD": "",
        "SMTP_STARTTLS": True,
        "ACCOUNT_LINK_HOURS": 2,
        "SESSION_IDLE_MINUTES": 60,
        "SESSION_HOURS": 12,
        # Wrong join codes per address; right ones are not counted, so a whole room can join.
        "JOIN_RATE_LIMIT": "10 per minute;50 per hour",
        "GUEST_RETENTION_DAYS": 30,
        # Accounts nobody has signed in to for this long are deleted by `trainer purge`.
        "ACCOUNT_RETENTION_YEARS": 3,
        # Kept at least as long as accounts: the sign-ins in it show which accounts are in use.
        "AUDIT_RETENTION_YEARS": 6,
        "MAX_CONTENT_LENGTH": 1024 * 1024,  # a larger upload raises it on its own view
    }


def load_config(instance_path: Path, overrides: Mapping | None = None) -> dict:
    """Build the app's configuration from defaults, then the environment, then overrides."""
    config = _defaults(instance_path)
    for variable, key in ENVIRONMENT.items():
        value = os.environ.get(variable)
        if value:
            config[key] = value
    if os.environ.get("TRAINER_SMTP_STARTTLS"):
        config["SMTP_STARTTLS"] = _truthy(os.environ["TRAINER_SMTP_STARTTLS"])
    if os.environ.get("TRAINER_SESSION_COOKIE_SECURE"):
        config["SESSION_COOKIE_SECURE"] = _truthy(os.environ["TRAINER_SESSION_COOKIE_SECURE"])
    else:
        config["SESSION_COOKIE_SECURE"] = config["ENV_NAME"] == "production"
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    if overrides:
        config.update(overrides)
    for key in WHOLE_NUMBERS:
        config[key] = _whole_number(key, config[key])
    config["PROXY_COUNT"] = _whole_number("PROXY_COUNT", config["PROXY_COUNT"], minimum=0)
    config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=config["SESSION_HOURS"])
    # A database server may drop a pooled connection (a restart, an idle timeout), so each is
    # tested as it is taken; a SQLite file has none to drop, and the test would be a query more
    # on every request.
    if not config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {}).setdefault("pool_pre_ping", True)
    if config["AUDIT_RETENTION_YEARS"] < config["ACCOUNT_RETENTION_YEARS"]:
        raise RuntimeError(
            "TRAINER_AUDIT_RETENTION_YEARS must be at least TRAINER_ACCOUNT_RETENTION_YEARS: "
            "the audit log's sign-ins show which accounts are still in use"
        )
    if not config["SECRET_KEY"] and config["ENV_NAME"] != "production":
        config["SECRET_KEY"] = instance_secret_key(instance_path)
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
    return config


def _whole_number(key: str, value, minimum: int = 1) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = minimum - 1
    if number < minimum:
        raise RuntimeError(f"{key} must be a whole number of {minimum} or more, got {value!r}")
    return number


def instance_secret_key(instance_path: Path) -> str:
    """A random key kept in the instance folder: made once, shared by every local worker.

    There is no built-in development key, so no published value can ever sign a session.
    """
    path = instance_path / KEY_FILE_NAME
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        # Written aside, then linked into place: two workers starting at once agree on one key.
        draft = instance_path / f".{KEY_FILE_NAME}.{secrets.token_hex(8)}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text(encoding="ascii").strip()


def normalise_database_url(url: str) -> str:
    """Accept the postgres:// and postgresql:// forms hosts hand out; we drive them with psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def check_config(config: Mapping) -> None:
    """Refuse to run in production with settings that are only safe on a laptop."""
    if config["ENV_NAME"] != "production":
        return
    if len(config["SECRET_KEY"].encode()) < MIN_SECRET_BYTES:
        raise RuntimeError(
            f"Set TRAINER_SECRET_KEY to a random value of at least {MIN_SECRET_BYTES} bytes "
            "before running in production, for example the output of "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    if not config["BASE_URL"]:
        # Links in emails must not be built from a request's Host header, which a caller controls.
        raise RuntimeError("Set TRAINER_BASE_URL (e.g. https://training.example.org) in production")
