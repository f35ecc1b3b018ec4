"""The `trainer` command: serve, set up the database, demo data and content checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext


def _create_app(*_args) -> Flask:
    from . import create_app
    from .database import bind_migrations

    app = create_app()
    bind_migrations(app)
    return app


class _Commands(FlaskGroup):
    """Flask's command group; a command of its own runs without first loading every installed
    Flask extension's commands, so `check-content` starts without the web stack."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self.commands.get(name) or super().get_command(ctx, name)


@click.group(cls=_Commands, create_app=_create_app, add_default_commands=False)
def main() -> None:
    """Information Sharing Training."""


@main.command("check-content", with_appcontext=False)
@click.option(
    "--content-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder holding modules/, quizzes/ and case_examples/ (default: TRAINER_CONTENT_DIR or this project).",
)
def check_content(content_dir: Path | None) -> None:
    """Validate every content file and print what was loaded, or every problem found."""
    from . import content_cache_dir, instance_path
    from .config import load_config
    from .content import ContentError, load_catalogue

    # Only the content folder is wanted: no secret key is made, and the validated catalogue
    # is kept for the next start only where an instance folder already exists.
    instance = Path(instance_path(None))
    settings = load_config(instance, {"SECRET_KEY": "not-needed-to-check-content"})
    folder = content_dir or Path(settings["CONTENT_DIR"])
    try:
        catalogue = load_catalogue(folder, cache_dir=content_cache_dir(instance))
    except ContentError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(error.problems)} problem(s) in {folder}") from None
    click.echo(f"Content OK: {catalogue.summary()}")


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create the database, or bring it up to the latest schema."""
    from flask_migrate import upgrade

    from .database import MIGRATIONS, bind_migrations

    bind_migrations(current_app)
    upgrade(directory=str(MIGRATIONS))
    click.echo("Database is up to date.")


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Add demo organisations and one account per role, and print how to sign in."""
    from .demo import seed_demo as seed

    credentials = Path(current_app.instance_path) / "demo-accounts.txt"
    accounts = seed(credentials)
    click.echo("Demo accounts (local use only):")
    for account in accounts:
        click.echo(
            f"  {', '.join(account.roles):<16} {account.email:<22} password: {account.password}"
        )


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    help="learner, trainer, lead or admin; repeat for several.",
)
@click.option("--organisation", help="Name of an existing organisation.")
@click.password_option(help="At least 12 characters; asked for if not given.")
@with_appcontext
def create_user(email, name, roles, organisation, password) -> None:
    """Create an account."""
    from .auth.services import AccountError
    from .auth.services import create_user as create
    from .extensions import db
    from .models import Organisation

    org = None
    if organisation:
        org = db.session.scalars(
            db.select(Organisation).where(Organisation.name == organisation)
        ).first()
        if org is None:
            raise click.ClickException(f"no organisation is called {organisation!r}")
    try:
        user = create(email, name, password, list(roles), org)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.email} with roles: {', '.join(roles)}.")


@click.command("send-reminders")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Act as if it were this date (YYYY-MM-DD); for testing and catching up.",
)
@with_appcontext
def send_reminders(today) -> None:
    """Email refresher reminders and session reminders due today. Safe to run daily from cron."""
    from datetime import date

    from .cpd.reminders import send_reminders as send
    from .extensions import current_catalogue
    from .facilitate.services import send_session_reminders

    day = today.date() if today else date.today()
    count = send(current_catalogue(), day)
    click.echo(f"Sent {count} refresher reminder{'' if count == 1 else 's'}.")
    count = send_session_reminders(day)
    click.echo(f"Sent {count} reminder{'' if count == 1 else 's'} of sessions tomorrow.")


@click.command("purge")
@with_appcontext
def purge() -> None:
    """Delete personal data past its retention period. Safe to run daily from cron.

    Guests of sessions that ended long enough ago, accounts nobody has signed in to for the
    account retention period, and audit events older than the audit retention period.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from .account.services import purge_inactive_accounts
    from .extensions import db
    from .facilitate.services import purge_guests
    from .models.audit import purge_older_than

    config, now = current_app.config, datetime.now(UTC)
    try:
        guests = purge_guests(config["GUEST_RETENTION_DAYS"])
        accounts = purge_inactive_accounts(now - _years(config["ACCOUNT_RETENTION_YEARS"]))
        events = purge_older_than(now - _years(config["AUDIT_RETENTION_YEARS"]))
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        raise click.ClickException(f"purge failed, nothing more was deleted: {error}") from None
    click.echo(
        f"Deleted {_count(guests, 'guest')} of sessions that ended over "
        f"{config['GUEST_RETENTION_DAYS']} days ago, {_count(accounts, 'account')} unused for "
        f"{config['ACCOUNT_RETENTION_YEARS']} years and {_count(events, 'audit event')} older "
        f"than {config['AUDIT_RETENTION_YEARS']} years."
    )


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"


def _years(count: int) -> timedelta:
    return timedelta(days=365 * count + count // 4)


@click.command("revoke-certificate")
@click.argument("code")
@with_appcontext
def revoke_certificate(code: str) -> None:
    """Withdraw a certificate: /verify/CODE will then say it is revoked."""
    from .cpd.certificates import revoke

    if not revoke(code):
        raise click.ClickException(f"no certificate has the code {code}")
    click.echo(f"Certificate {code} is revoked.")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve(host: str, port: int) -> None:
    """Serve the site for local use (behind a proxy, run gunicorn instead: see the README)."""
    from werkzeug.serving import WSGIRequestHandler, run_simple

    class Handler(WSGIRequestHandler):
        def version_string(self) -> str:
            return "Information Sharing Training"  # no server software or version to probe

    click.echo(f"Serving on http://{host}:{port}/ (press Ctrl+C to stop)")
    # Flask's app.run() refuses to start from inside its own CLI, so use Werkzeug directly.
    run_simple(
        host, port, current_app._get_current_object(), threaded=True, request_handler=Handler
    )


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(file: Path) -> None:
    """Copy the SQLite database to FILE while the site keeps running."""
    from .backup import BackupError
    from .backup import backup as copy

    try:
        size = copy(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up to {file} ({size:,} bytes).")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm: every change since the backup is lost.")
@with_appcontext
def restore(file: Path, yes: bool) -> None:
    """Replace the SQLite database with the backup in FILE. Stop the site first."""
    from .backup import BackupError
    from .backup import restore as put_back

    if not yes:
        raise click.ClickException(
            "Restoring replaces everything recorded since the backup: stop the site, then run "
            "this again with --yes"
        )
    try:
        put_back(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored from {file}. Start the site again.")


@click.command("export-report")
@click.option("--format", "file_format", type=click.Choice(["csv", "xlsx", "pdf"]), required=True)
@click.option(
    "--as",
    "email",
    required=True,
    help="Email of the lead or administrator whose organisations to report on.",
)
@click.option("--course", default="", help="Course id, e.g. essentials (default: all).")
@click.option("--org", type=int, help="Organisation id (default: all the person leads).")
@click.option("--agency", default="", help="Agency type, e.g. health.")
@click.option("--team", type=int, help="Team id.")
@click.option("--job-role", default="")
@click.option(
    "--from",
    "date_from",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Completed on or after (YYYY-MM-DD).",
)
@click.option(
    "--to",
    "date_to",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Completed on or before (YYYY-MM-DD).",
)
@click.option("--status", type=click.Choice(["completed", "in-progress", "not-started", "overdue"]))
@click.option(
    "-o",
    "--output",
    type=click.File("wb"),
    required=True,
    help="File to write; - for standard output.",
)
@with_appcontext
def export_report(
    file_format, email, course, org, agency, team, job_role, date_from, date_to, status, output
) -> None:
    """Write the completion report, as the reports page would, for scheduled reporting."""
    from .extensions import current_catalogue
    from .reports.queries import Filters
    from .reports.services import ReportError, export_to_file

    filters = Filters(
        course=course,
        org=org,
        agency=agency,
        team=team,
        job_role=job_role,
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
        status=status or "",
    )
    try:
        export_to_file(email, file_format, filters, current_catalogue(), output)
    except ReportError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Report written to {output.name}.", err=True)


@click.command("import-users")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "email", required=True, help="Email of the administrator doing the import.")
@with_appcontext
def import_users(file: Path, email: str) -> None:
    """Add the people in a CSV (name, email, organisation, team, job role, roles) and invite
    them to set a password. Any problem in the file and no one is added."""
    from .admin.imports import import_file

    try:
        added, checked = import_file(email, file.read_bytes(), file.name)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    if checked.problem or checked.errors:
        for line, message in checked.errors:
            click.echo(f"line {line}: {message}", err=True)
        raise click.ClickException(
            checked.problem or "no one was added: correct the lines above and run it again"
        )
    click.echo(f"Added {added} {'person' if added == 1 else 'people'} and sent invitations.")


def register(app: Flask) -> None:
    for command in (
        init_db,
        seed_demo,
        create_user,
        send_reminders,
        purge,
        revoke_certificate,
        serve,
        backup,
        restore,
        export_report,
        import_users,
    ):
        app.cli.add_command(command)


if __name__ == "__main__":
    main()
