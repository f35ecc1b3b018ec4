"""Information Sharing Training: the Flask application factory."""

from __future__ import annotations

import gc
import logging
import os
import secrets
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, g, request
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

if TYPE_CHECKING:
    from .content import Catalogue

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SERVICE_NAME = "Information Sharing Training"

logger = logging.getLogger(__name__)


def create_app(config: Mapping | None = None) -> Flask:
    """Build the app: config, extensions, content, blueprints, errors, filters and commands."""
    with _collecting_garbage_afterwards():
        app = Flask(
            __name__,
            instance_path=instance_path(config),
            template_folder=str(PROJECT_ROOT / "templates"),
        )
        _load_config(app, config)
        content = _start_loading_content(app)
        _register_extensions(app)
        _register_templates(app)
        _register_blueprints(app)
        _register_error_handlers(app)
        _register_security_headers(app)
        _register_commands(app)
        _finish_loading_content(app, content)
    return app


@contextmanager
def _collecting_garbage_afterwards() -> Iterator[None]:
    """Building the app makes a hundred thousand objects that live as long as it does, and the
    garbage collector would walk them all again each time their number grew by a quarter: a
    sixth of a start. It is paused while the app is built and collects as usual afterwards
    (gunicorn.conf.py then freezes what the workers share)."""
    was_collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_collecting:
            gc.enable()


def instance_path(config: Mapping | None) -> str:
    """Where the SQLite database, outbox and demo credentials live (TRAINER_INSTANCE_DIR)."""
    chosen = (config or {}).get("INSTANCE_PATH") or os.environ.get("TRAINER_INSTANCE_DIR")
    return str(Path(chosen).resolve()) if chosen else str(PROJECT_ROOT / "instance")


def content_cache_dir(instance: Path) -> Path | None:
    """Where validated content is kept between starts: in the instance folder, if there is one."""
    return instance / "content-cache" if instance.is_dir() else None


def _load_config(app: Flask, overrides: Mapping | None) -> None:
    from .config import check_config, load_config

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(load_config(Path(app.instance_path), overrides))
    check_config(app.config)


def _register_extensions(app: Flask) -> None:
    from govuk_frontend_wtf.main import WTFormsHelpers

    from .database import configure_engine
    from .extensions import csrf, db, limiter, login_manager
    from .web import KeptSignerSessions

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    csrf.init_app(app)
    limiter.init_app(app)
    app.session_interface = KeptSignerSessions()
    _check_limits_only_where_set(app, limiter)
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Only the proxies we run may say who the client is; a forged header from further
        # out is ignored, so it cannot dodge the per-address limits.
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    if (
        app.config["ENV_NAME"] == "production"
        and app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    ):
        logger.warning(
            "rate-limit counters are kept in this process: with more than one worker, set "
            "TRAINER_RATELIMIT_STORAGE_URL to a shared Redis so the limits hold"
        )
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    WTFormsHelpers(app)


def _start_loading_content(app: Flask) -> Callable[[], Catalogue]:
    """Content is loaded once, first, so that a large curriculum with nothing kept is validated
    in a forked copy while the rest of the app is built here (before any database connection
    or thread exists to be copied)."""
    from .content.loader import start_loading

    return start_loading(
        app.config["CONTENT_DIR"], cache_dir=content_cache_dir(Path(app.instance_path))
    )


def _finish_loading_content(app: Flask, content: Callable[[], Catalogue]) -> None:
    """Invalid content stops start-up with every problem listed."""
    catalogue = content()
    app.extensions["catalogue"] = catalogue
    logger.info("content loaded: %s", catalogue.summary())


def _register_templates(app: Flask) -> None:
    from . import filters
    from .content.model import RECORD_PARTS
    from .fragments import FragmentExtension
    from .navigation import navigation
    from .web import error_summary

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(PROJECT_ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension(FragmentExtension)
    filters.register(app)

    app.jinja_env.globals["record_parts"] = RECORD_PARTS
    app.jinja_env.globals["error_summary"] = error_summary
    app.jinja_env.globals["service_navigation"] = navigation

    @app.context_processor
    def service() -> dict:
        return {
            "service_name": SERVICE_NAME,
            "catalogue": app.extensions["catalogue"],
            "csp_nonce": g.get("csp_nonce", ""),
        }


def _register_blueprints(app: Flask) -> None:
    from .account import bp as account_bp
    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .cpd import bp as cpd_bp
    from .facilitate import bp as facilitate_bp
    from .learn import bp as learn_bp
    from .main import bp as main_bp
    from .reports import bp as reports_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(account_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(cpd_bp)
    app.register_blueprint(facilitate_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(admin_bp)


def _register_error_handlers(app: Flask) -> None:
    from .errors import register_error_handlers

    register_error_handlers(app)


def _check_limits_only_where_set(app: Flask, limiter) -> None:
    """Every limit here is set on the view it guards, whose decorator counts it. The check
    Flask-Limiter adds before every request counts only limits for the whole app, so with
    none set it would look through a page's limits, find none and cost every request a
    sixth of its time. It is left out unless such a limit is set."""
    manager = limiter.limit_manager
    checks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in checks and not (
        manager.default_limits or manager.application_limits
    ):
        checks.remove(limiter._check_request_limit)


def _register_security_headers(app: Flask) -> None:
    fixed = [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
    ]
    if app.config["ENV_NAME"] == "production":
        fixed.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))

    @app.before_request
    def make_nonce() -> None:
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.after_request
    def headers(response):
        nonce = g.get("csp_nonce", "")
        policy = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; object-src 'none'; base-uri 'self'; "
            "frame-ancestors 'none'; form-action 'self'"
        )
        # A view's own header wins. Names are compared by a pass over the few headers set,
        # as asking for a missing one raises and catches an exception inside werkzeug.
        given = {name.lower(): value for name, value in response.headers}
        response.headers.extend(
            (name, value)
            for name, value in [("Content-Security-Policy", policy), *fixed]
            if name.lower() not in given
        )
        if _is_private(given.get("content-disposition", "")):
            response.headers["Cache-Control"] = "no-store"
        return response


def _is_private(disposition: str) -> bool:
    """A page for one person, or any download: no browser or proxy may keep a copy."""
    if request.endpoint == "static":
        return False
    user = g.get("_login_user")  # only if this request loaded it: no extra database read
    # Not is_authenticated: it reads the account's active flag, which after a commit would
    # load the person from the database again.
    signed_in = user is not None and not user.is_anonymous
    return signed_in or "attachment" in disposition


def _register_commands(app: Flask) -> None:
    from .cli import register

    register(app)
