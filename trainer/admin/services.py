"""Changes administrators make. Each is one transaction, audited when it changes who can see
or do what; a repeated or simultaneous request never stores a fact twice."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from trainer.extensions import db
from trainer.formats import LONDON, long_date
from trainer.models import (
    AnonymousCompletion,
    Certificate,
    LeadScope,
    Organisation,
    Partnership,
    RoleGrant,
    Team,
    User,
    audit,
)


class AdminError(ValueError):
    """A change cannot be made as asked; the message says what to do instead."""


def _commit_unique(message: str) -> None:
    """Commit, or say what to do when a unique rule (a name already taken) refuses it."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AdminError(message) from None


def save_organisation(
    org: Organisation | None, name: str, sector: str, partnership: str
) -> Organisation:
    org = org or Organisation()
    org.name, org.sector = name, sector
    org.partnership_id = int(partnership) if (partnership or "").isdigit() else None
    db.session.add(org)
    _commit_unique(f"An organisation called {name} already exists: choose another name")
    return org


def add_partnership(name: str) -> Partnership:
    partnership = Partnership(name=name)
    db.session.add(partnership)
    _commit_unique(f"A partnership called {name} already exists")
    return partnership


def add_team(org: Organisation, name: str) -> Team:
    team = Team(organisation_id=org.id, name=name)
    db.session.add(team)
    _commit_unique(f"{org.name} already has a team called {name}")
    return team


def move_person(admin: User, person: User, org_id: str, team_id: str, job_role: str) -> None:
    """Put a person in an organisation and one of its teams (a team elsewhere is refused)."""
    org = db.session.get(Organisation, int(org_id)) if org_id.isdigit() else None
    team = db.session.get(Team, int(team_id)) if team_id.isdigit() else None
    if team is not None and (org is None or team.organisation_id != org.id):
        raise AdminError("Select a team of the organisation chosen, or no team")
    before = {"organisation": person.organisation_id, "team": person.team_id}
    person.organisation_id = org.id if org else None
    person.team_id = team.id if team else None
    person.job_role = job_role
    if org is not None:
        person.organisation_other = ""
    audit.record(
        "person moved",
        actor_id=admin.id,
        person=person.id,
        before=before,
        after={"organisation": person.organisation_id, "team": person.team_id},
    )
    db.session.commit()


def _sync(rows: list, wanted: set, key, make) -> tuple[list, list]:
    """Add rows for wanted keys missing, delete rows whose key is no longer wanted."""
    have = {key(row): row for row in rows}
    added = sorted(wanted - set(have))
    removed = sorted(set(have) - wanted)
    for value in removed:
        db.session.delete(have[value])
    for value in added:
        db.session.add(make(value))
    return added, removed


def set_roles(
    admin: User, person: User, roles: set[str], orgs: set[int], partnerships: set[int]
) -> None:
    """Grant and remove roles, and what a lead leads. An admin cannot remove their own admin role."""
    if person.id == admin.id and "admin" not in roles:
        raise AdminError("You cannot remove your own administrator role: ask another administrator")
    if "lead" not in roles:
        orgs, partnerships = set(), set()
    person_id = person.id
    for _ in range(2):
        added, removed = _sync_roles(person_id, roles, orgs, partnerships)
        audit.record(
            "roles changed",
            actor_id=admin.id,
            person=person_id,
            granted=added,
            removed=removed,
            organisations_led=sorted(orgs),
            partnerships_led=sorted(partnerships),
        )
        try:
            db.session.commit()
        except (IntegrityError, StaleDataError):
            # Someone saved this person's roles at the same moment: start again from theirs.
            db.session.rollback()
            continue
        db.session.expire(person)
        return
    raise AdminError(
        "Someone else changed these roles at the same moment: check them and save again"
    )


def _sync_roles(
    person_id: int, roles: set[str], orgs: set[int], partnerships: set[int]
) -> tuple[list, list]:
    """Add and delete the person's role grants and lead scopes to match; nothing is written
    until the caller commits."""
    with db.session.no_autoflush:
        grants = db.session.scalars(db.select(RoleGrant).where(RoleGrant.user_id == person_id))
        scopes = db.session.scalars(
            db.select(LeadScope).where(LeadScope.user_id == person_id)
        ).all()
        added, removed = _sync(
            list(grants), roles, lambda g: g.role, lambda r: RoleGrant(user_id=person_id, role=r)
        )
        _sync(
            [s for s in scopes if s.organisation_id],
            orgs,
            lambda s: s.organisation_id,
            lambda o: LeadScope(user_id=person_id, organisation_id=o),
        )
        _sync(
            [s for s in scopes if s.partnership_id],
            partnerships,
            lambda s: s.partnership_id,
            lambda p: LeadScope(user_id=person_id, partnership_id=p),
        )
    return added, removed


def set_active(admin: User, person: User, active: bool) -> None:
    """Deactivate (signed out everywhere, cannot sign in) or reactivate an account."""
    if person.id == admin.id and not active:
        raise AdminError("You cannot deactivate your own account")
    person.is_active_account = active
    if not active:
        person.end_sessions()
    audit.record(
        "account reactivated" if active else "account deactivated",
        actor_id=admin.id,
        person=person.id,
    )
    db.session.commit()


def link_not_listed(admin: User, typed: str, org: Organisation) -> int:
    """Link everyone who typed this organisation name at registration to a real one."""
    people = db.session.scalars(
        db.select(User).where(
            User.organisation_id.is_(None), db.func.trim(User.organisation_other) == typed
        )
    ).all()
    for person in people:
        person.organisation_id, person.organisation_other = org.id, ""
    audit.record(
        "not-listed organisation linked",
        actor_id=admin.id,
        typed=typed,
        organisation=org.id,
        people=len(people),
    )
    db.session.commit()
    return len(people)


def merge_organisations(admin: User, duplicate: Organisation, keep: Organisation) -> None:
    """Move everything from a duplicate organisation into the one kept, then remove it."""
    if duplicate.id == keep.id:
        raise AdminError("Select a different organisation to merge into")
    kept_teams = {team.name: team for team in keep.teams}
    for team in list(duplicate.teams):
        if team.name in kept_teams:
            db.session.execute(
                db.update(User)
                .where(User.team_id == team.id)
                .values(team_id=kept_teams[team.name].id)
            )
            db.session.delete(team)
        else:
            team.organisation_id = keep.id
    db.session.flush()
    db.session.execute(
        db.update(User).where(User.organisation_id == duplicate.id).values(organisation_id=keep.id)
    )
    db.session.execute(
        db.update(AnonymousCompletion)
        .where(AnonymousCompletion.organisation_id == duplicate.id)
        .values(organisation_id=keep.id)
    )
    _move_lead_scopes(duplicate.id, keep.id)
    audit.record(
        "organisations merged",
        actor_id=admin.id,
        removed=duplicate.id,
        name=duplicate.name,
        into=keep.id,
    )
    db.session.expire(duplicate)
    db.session.delete(duplicate)
    db.session.commit()


def _move_lead_scopes(from_id: int, to_id: int) -> None:
    already = set(
        db.session.scalars(db.select(LeadScope.user_id).where(LeadScope.organisation_id == to_id))
    )
    for scope in db.session.scalars(
        db.select(LeadScope).where(LeadScope.organisation_id == from_id)
    ):
        if scope.user_id in already:
            db.session.delete(scope)
        else:
            scope.organisation_id = to_id
    db.session.flush()


def revoke_certificate(admin: User, certificate: Certificate, reason: str) -> None:
    """Withdraw a certificate: /verify then says it is revoked. Revoking twice changes nothing."""
    if certificate.revoked_at is None:
        certificate.revoked_at = datetime.now(UTC)
    audit.record("certificate revoked", actor_id=admin.id, code=certificate.code, reason=reason)
    db.session.commit()


def reissue_certificate(admin: User, certificate: Certificate, reason: str) -> None:
    """Make a revoked certificate valid again, in the holder's current name."""
    if certificate.revoked_at is None:
        raise AdminError("This certificate is valid: only a revoked certificate can be re-issued")
    holder = db.session.get(User, certificate.completion.user_id)
    certificate.revoked_at = None
    certificate.holder_name = holder.name
    audit.record("certificate re-issued", actor_id=admin.id, code=certificate.code, reason=reason)
    db.session.commit()


AUDIT_HEADER = ("When", "Who", "What happened", "Details")


def when(moment: datetime) -> str:
    """A moment in UK time: 27 November 2026 14:03:09."""
    return f"{long_date(moment)} {moment.astimezone(LONDON):%H:%M:%S}"


def audit_csv_row(event, email: str | None) -> tuple:
    details = "; ".join(f"{key}: {value}" for key, value in sorted((event.details or {}).items()))
    return (when(event.at), email or "", event.action, details)


def record_audit_export(admin: User, filters: dict) -> None:
    audit.record("exported audit log", actor_id=admin.id, filters=filters)
    db.session.commit()
