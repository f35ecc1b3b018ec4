"""`trainer purge` keeps personal data no longer than the retention settings say, and the
privacy notice states the same periods."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import make_app, make_organisation, make_user, sign_in
from trainer.extensions import db
from trainer.models import AuditEvent, User


def years_ago(years: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=365.25 * years)


def test_accounts_unused_for_the_retention_period_are_deleted_and_used_ones_kept(
    app, client, runner
):
    org = make_organisation()
    dormant = make_user("learner", email="dormant@example.org", org=org)
    active = make_user("learner", email="active@example.org", org=org)
    admin = make_user("admin", email="admin@example.org", org=org)
    new = make_user("learner", email="new@example.org", org=org)
    for user in (dormant, active, admin):
        user.created_at = years_ago(4)
    db.session.commit()
    sign_in(client, "active@example.org")
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "1 account unused for 3 years" in result.output
    left = set(db.session.scalars(db.select(User.email)))
    assert left == {active.email, admin.email, new.email}
    assert runner.invoke(args=["purge"]).output.count("0 accounts") == 1  # safe to run again


def test_audit_events_older_than_their_retention_are_deleted(app, runner):
    db.session.add_all(
        [AuditEvent(action="old export", at=years_ago(7)), AuditEvent(action="recent export")]
    )
    db.session.commit()
    result = runner.invoke(args=["purge"])
    assert "1 audit event older than 6 years" in result.output
    assert db.session.scalars(db.select(AuditEvent.action)).all() == ["recent export"]


def test_the_audit_log_may_not_be_kept_for_less_time_than_accounts(tmp_path):
    with pytest.raises(RuntimeError, match="TRAINER_AUDIT_RETENTION_YEARS"):
        make_app(tmp_path, ACCOUNT_RETENTION_YEARS=5, AUDIT_RETENTION_YEARS=2)


def test_the_privacy_notice_states_the_periods_the_code_uses(tmp_path):
    app = make_app(
        tmp_path, ACCOUNT_RETENTION_YEARS=2, AUDIT_RETENTION_YEARS=7, GUEST_RETENTION_DAYS=14
    )
    text = app.test_client().get("/privacy").get_data(as_text=True)
    assert "not signed in for 2 years" in text
    assert "14 days" in text
    assert "7 years" in text
