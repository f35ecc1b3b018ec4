"""Every address of the app, for every kind of person, own things and other people's.

The rules are listed by endpoint; the test walks the app's URL map, so an address added
without a rule here fails. Each area's own tests go deeper (the facilitate and admin
matrices); this one proves nothing is left open by accident.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.app.test_facilitate import make_session, person
from tests.app.test_learning import RIGHT_CHECK
from tests.conftest import make_organisation, make_user
from trainer.extensions import db
from trainer.models import Certificate, ModuleRead

PEOPLE = ("anonymous", "learner", "trainer", "lead", "admin")
OK, SIGN_IN, REFUSED, BAD_LINK = "ok", "sign in", "refused", "bad link"


@dataclass(frozen=True)
class Rule:
    # anyone | link | signed-in | owner | trainer | session | open-session | state |
    # participant | lead | admin
    who: str
    own: dict | None = None  # URL values of the learner's, trainer's or lead's own thing
    other: dict | None = None  # the same kind of thing that belongs to someone else


def rules(w: World) -> dict[str, Rule]:
    session = {"session_id": w.session_id}
    other_session = {"session_id": w.other_session_id}
    return {
        "main.home": Rule("anyone"),
        "main.healthz": Rule("anyone"),
        "main.accessibility": Rule("anyone"),
        "main.privacy": Rule("anyone"),
        "learn.course": Rule("anyone", {"course_id": "basics"}),
        "learn.module": Rule("anyone", {"course_id": "basics", "module_id": "why-share"}),
        "learn.cases": Rule("anyone"),
        "learn.case": Rule("anyone", {"case_id": "bruise-on-baby"}),
        "learn.glossary": Rule("anyone"),
        "learn.quiz": Rule("signed-in", {"quiz_id": "bruise-scenario"}),
        "learn.start_quiz": Rule("signed-in", {"quiz_id": "bruise-scenario"}),
        "learn.complete_module": Rule(
            "signed-in", {"course_id": "basics", "module_id": "why-share"}
        ),
        "learn.attempt": Rule("owner", {"quiz_id": "bruise-scenario", "number": 1}),
        "learn.decision_record": Rule("owner", {"quiz_id": "bruise-scenario", "number": 1}),
        "auth.login": Rule("anyone"),
        "auth.register": Rule("anyone"),
        "auth.reset": Rule("anyone"),
        "auth.resend_confirmation": Rule("anyone"),
        "auth.confirm": Rule("link", {"token": "not-a-token"}),
        "auth.new_password": Rule("link", {"token": "not-a-token"}),
        "auth.logout": Rule("signed-in"),
        "account.profile": Rule("signed-in"),
        "account.details": Rule("signed-in"),
        "account.email": Rule("signed-in"),
        "account.password": Rule("signed-in"),
        "account.data": Rule("signed-in"),
        "account.delete": Rule("signed-in"),
        "account.confirm_email": Rule("link", {"token": "not-a-token"}),
        "cpd.record": Rule("signed-in"),
        "cpd.record_csv": Rule("signed-in"),
        "cpd.record_pdf": Rule("signed-in"),
        "cpd.add_activity": Rule("signed-in"),
        "cpd.reflection": Rule("owner", {"key": w.read_key}, {"key": w.other_read_key}),
        "cpd.certificate": Rule("owner", {"course_id": "basics"}),
        "cpd.check_certificate": Rule("anyone"),
        "cpd.verify": Rule("anyone", {"code": w.code}),
        "cpd.verify_json": Rule("anyone", {"code": w.code}),
        "facilitate.index": Rule("signed-in"),
        "facilitate.join": Rule("anyone"),
        "facilitate.new": Rule("trainer"),
        "facilitate.attendees": Rule("trainer"),
        "facilitate.session": Rule("open-session", session, other_session),
        "facilitate.calendar": Rule("open-session", session, other_session),
        "facilitate.edit": Rule("session", session, other_session),
        "facilitate.cancel": Rule("session", session, other_session),
        "facilitate.open_session": Rule("session", session, other_session),
        "facilitate.live": Rule("session", session, other_session),
        "facilitate.live_json": Rule("session", session, other_session),
        "facilitate.join_qr": Rule("session", session, other_session),
        "facilitate.register": Rule("session", session, other_session),
        "facilitate.summary": Rule("session", session, other_session),
        "facilitate.handouts": Rule("session", session, other_session),
        "facilitate.state": Rule("state", session, other_session),
        "facilitate.export": Rule(
            "session",
            {**session, "what": "register", "file_format": "csv"},
            {**other_session, "what": "register", "file_format": "csv"},
        ),
        "facilitate.book": Rule("open-session", session, other_session),
        "facilitate.cancel_booking": Rule("open-session", session, other_session),
        "facilitate.room": Rule("participant", session),
        "facilitate.feedback": Rule("participant", session),
        "facilitate.claim": Rule("participant", session),
        "reports.dashboard": Rule("lead", {}, {"org": w.other_org_id}),
        "reports.cases": Rule("lead"),
        "reports.case": Rule("lead", {"case_id": "bruise-on-baby"}),
        "reports.export": Rule(
            "lead", {"file_format": "csv"}, {"file_format": "csv", "org": w.other_org_id}
        ),
        "reports.remind": Rule("lead"),
        **{endpoint: Rule("admin", values) for endpoint, values in admin_addresses(w).items()},
    }


def admin_addresses(w: World) -> dict[str, dict]:
    person_id, org_id, certificate_id = w.learner_id, w.org_id, w.certificate_id
    return {
        "admin.index": {},
        "admin.organisations": {},
        "admin.organisation": {"org_id": org_id},
        "admin.add_team": {"org_id": org_id},
        "admin.merge": {"org_id": org_id},
        "admin.partnerships": {},
        "admin.people": {},
        "admin.person": {"user_id": person_id},
        "admin.roles": {"user_id": person_id},
        "admin.set_active": {"user_id": person_id, "change": "deactivate"},
        "admin.link_not_listed": {},
        "admin.imports_upload": {},
        "admin.imports_confirm": {"batch_id": 1},
        "admin.certificates": {},
        "admin.certificate": {"certificate_id": certificate_id, "change": "revoke"},
        "admin.audit_log": {},
        "admin.audit_csv": {},
    }


def expected(rule: Rule, who: str, whose: str) -> set[str]:
    """What each person gets: whose is "own" (their own or in-scope thing) or "other"."""
    if rule.who == "anyone":
        return {OK}
    if rule.who == "link":
        return {BAD_LINK}
    if who == "anonymous":
        # Guests of a live session are anonymous: its room and state answer "not found".
        return {SIGN_IN, REFUSED} if rule.who in ("participant", "state") else {SIGN_IN}
    allowed = {
        "signed-in": set(PEOPLE),
        "owner": {"learner"} if whose == "own" else set(),
        "trainer": {"trainer", "admin"},
        "session": {"trainer", "admin"} if whose == "own" else {"admin"},
        "state": {"trainer", "admin"} if whose == "own" else {"admin"},
        # A session open to the person's organisation can be seen and booked by anyone in it.
        "open-session": set(PEOPLE) if whose == "own" else {"admin"},
        "participant": set(),
        "lead": {"lead", "admin"} if whose == "own" else {"admin"},
        "admin": {"admin"},
    }[rule.who]
    return {OK} if who in allowed else {REFUSED}


@dataclass
class World:
    learner_id: int = 0
    org_id: int = 0
    other_org_id: int = 0
    session_id: int = 0
    other_session_id: int = 0
    read_key: str = ""
    other_read_key: str = ""
    code: str = ""
    certificate_id: int = 0


@pytest.fixture
def world(app):
    """One organisation with a person of each role, and another organisation beside it."""
    home = make_organisation("Northbridge Council", "childrens-social-care")
    away = make_organisation("Far Away Council", "police")
    learner = make_user("learner", email="learner@example.org", org=home)
    other_learner = make_user("learner", email="other@example.org", org=away)
    trainer = make_user("trainer", email="trainer@example.org", org=home)
    other_trainer = make_user("trainer", email="other-trainer@example.org", org=away)
    make_user("lead", email="lead@example.org", org=home)
    make_user("admin", email="admin@example.org", org=home)
    browsers = {who: person(app, f"{who}@example.org") for who in PEOPLE if who != "anonymous"}
    browsers["anonymous"] = person(app)
    mine = browsers["learner"]
    mine.post("/courses/basics/why-share/complete")
    mine.post("/courses/basics/how-to-decide/complete")
    attempt = mine.post("/quizzes/bruise-scenario/start").headers["Location"]
    mine.post(attempt, data={"step": "visit", "choice": "refer-today"})
    mine.post(attempt, data={"step": "call", "choice": "protect-referrer"})
    final = mine.post("/quizzes/basics-check/start").headers["Location"]
    mine.post(final, data=RIGHT_CHECK)
    theirs = person(app, "other@example.org")
    theirs.post("/courses/basics/why-share/complete")
    reads = {r.user_id: r.id for r in db.session.scalars(db.select(ModuleRead))}
    certificate = db.session.scalars(db.select(Certificate)).one()
    w = World(
        learner_id=learner.id,
        org_id=home.id,
        other_org_id=away.id,
        session_id=make_session(trainer, [home]).id,
        other_session_id=make_session(other_trainer, [away]).id,
        read_key=f"read-{reads[learner.id]}",
        other_read_key=f"read-{reads[other_learner.id]}",
        code=certificate.code,
        certificate_id=certificate.id,
    )
    return w, browsers


def outcome(response) -> str:
    if response.status_code == 302 and "/auth/login" in response.headers["Location"]:
        return SIGN_IN
    if response.status_code in (403, 404):
        return REFUSED
    if response.status_code == 400:
        return BAD_LINK
    if response.status_code in (200, 302, 304):
        return OK
    return str(response.status_code)


def test_every_address_of_the_app_has_a_rule(app, world):
    w, _browsers = world
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    assert endpoints - set(rules(w)) == set(), "add a rule for each new address"
    assert set(rules(w)) - endpoints == set(), "remove rules for addresses that are gone"


def test_every_address_answers_every_person_as_its_rule_says(app, world):
    w, browsers = world
    listed = rules(w)
    problems = []
    with app.test_request_context():
        from flask import url_for

        cases = []
        for rule in app.url_map.iter_rules():
            if rule.endpoint == "static":
                continue
            policy = listed[rule.endpoint]
            method = "GET" if "GET" in rule.methods else "POST"
            for whose, values in (("own", policy.own), ("other", policy.other)):
                if values is None and whose == "other":
                    continue
                cases.append(
                    (rule.endpoint, method, whose, url_for(rule.endpoint, **(values or {})))
                )
    for endpoint, method, whose, url in cases:
        policy = listed[endpoint]
        for who in PEOPLE:
            if method == "POST" and expected(policy, who, whose) == {OK}:
                continue  # a permitted change is tested where it is built, not here
            got = outcome(browsers[who].open(url, method=method))
            if got not in expected(policy, who, whose):
                problems.append(f"{who} {method} {url} ({whose}): {got}")
    assert problems == [], "\n".join(problems)
