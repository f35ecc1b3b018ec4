"""Parts of pages rendered once and reused never carry one person's page to another, and
new content is never shown inside parts rendered from the old."""

import dataclasses

from bs4 import BeautifulSoup

from tests.conftest import PASSWORD, fresh_database, make_app, make_user, sign_in
from trainer.fragments import PageStore

MODULE = "/courses/basics/why-share"
CASE = "/cases/bruise-on-baby"


def read(client, path: str) -> BeautifulSoup:
    # A context of its own, as every request has when served: the tests' shared one would
    # keep the first person loaded for every client.
    with client.application.app_context():
        response = client.get(path)
    assert response.status_code == 200, path
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def navigation(page: BeautifulSoup) -> list[str]:
    return [item.get_text(strip=True) for item in page.select(".govuk-service-navigation__item")]


def current_section(page: BeautifulSoup) -> list[str]:
    return [
        item.get_text(strip=True) for item in page.select(".govuk-service-navigation__item--active")
    ]


def test_two_people_and_a_visitor_each_see_their_own_page(app):
    make_user("admin", email="ada@example.org")
    learner = make_user("learner", email="lee@example.org")
    learner.name = "Lee Learner"
    from trainer.extensions import db

    db.session.commit()
    ada, lee, visitor = app.test_client(), app.test_client(), app.test_client()
    for client, email in ((ada, "ada@example.org"), (lee, "lee@example.org")):
        with app.app_context():
            sign_in(client, email)
    with app.app_context():
        lee.post(f"{MODULE}/complete")

    # Each asks for the same pages in turn, so each is served parts the others warmed.
    for _ in range(2):
        for path in (MODULE, CASE, "/"):
            seen = {
                who: read(client, path)
                for who, client in (("ada", ada), ("lee", lee), ("visitor", visitor))
            }
            ada_text, lee_text, visitor_text = (
                seen[w].get_text(" ", strip=True) for w in ("ada", "lee", "visitor")
            )
            assert "Signed in as Test Admin" in ada_text and "Lee Learner" not in ada_text
            assert "Signed in as Lee Learner" in lee_text and "Test Admin" not in lee_text
            assert "Signed in as" not in visitor_text and "Sign out" not in visitor_text
            assert "Admin" in navigation(seen["ada"]) and "Admin" not in navigation(seen["lee"])
            assert "Book a session" in navigation(seen["lee"])
            assert navigation(seen["visitor"]) == ["Courses", "Case examples", "Glossary"]
            if path != "/":
                # Trainers and admins see the notes for running a session; learners never do.
                assert seen["ada"].select(".app-facilitator")
                assert not seen["lee"].select(".app-facilitator")
                assert not seen["visitor"].select(".app-facilitator")
        module_states = [read(c, MODULE).get_text(" ", strip=True) for c in (lee, ada, visitor)]
        assert "You have marked this module as read." in module_states[0]
        assert "You have marked this module as read." not in module_states[1]
        assert "Mark as read" in module_states[1]
        assert "Sign in to keep track" in module_states[2]


def test_the_current_section_follows_the_page_not_the_first_visit(client, app):
    assert current_section(read(client, MODULE)) == ["Courses"]
    assert current_section(read(client, CASE)) == ["Case examples"]
    assert current_section(read(client, "/glossary")) == ["Glossary"]
    assert current_section(read(client, MODULE)) == ["Courses"]


def test_new_content_is_shown_in_full_once_the_content_version_changes(client, app):
    assert "Why share" in read(client, MODULE).h1.get_text()
    catalogue = app.extensions["catalogue"]
    module = dataclasses.replace(catalogue.modules["why-share"], title="Why we share")
    modules = {**catalogue.modules, "why-share": module}

    app.extensions["catalogue"] = dataclasses.replace(catalogue, modules=modules)
    assert "Why share" in read(client, MODULE).h1.get_text()  # same version: kept parts

    app.extensions["catalogue"] = dataclasses.replace(
        catalogue, modules=modules, version="a-new-version"
    )
    page = read(client, MODULE)
    assert "Why we share" in page.h1.get_text()
    assert "Why we share" in page.select_one(".govuk-breadcrumbs").get_text()


def script_nonces(response) -> tuple[set[str], str]:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    in_page = {tag["nonce"] for tag in page.find_all("script") if tag.get("nonce")}
    policy = response.headers["Content-Security-Policy"]
    return in_page, policy.split("'nonce-")[1].split("'")[0]


def test_a_page_kept_for_visitors_carries_each_request_its_own_script_nonce(client):
    seen = set()
    for _ in range(3):
        in_page, in_policy = script_nonces(client.get(MODULE))
        assert in_page == {in_policy}
        seen.add(in_policy)
    assert len(seen) == 3


def test_a_message_for_one_visitor_is_shown_to_them_and_kept_from_the_next(app):
    make_user("learner", email="lee@example.org")
    leaving, next_visitor = app.test_client(), app.test_client()
    read(next_visitor, "/")  # the home page is already kept for visitors
    with app.app_context():
        sign_in(leaving, "lee@example.org")
        leaving.post("/auth/logout")
    assert "You have signed out." in read(leaving, "/").get_text()
    assert "You have signed out." not in read(leaving, "/").get_text()  # shown once
    assert "You have signed out." not in read(next_visitor, "/").get_text()


def form_token(page: BeautifulSoup, action: str) -> str:
    return page.select_one(f'form[action="{action}"] input[name="csrf_token"]')["value"]


def test_a_kept_page_gives_each_person_their_own_name_and_a_form_token_that_works(tmp_path):
    with fresh_database(make_app(tmp_path, WTF_CSRF_ENABLED=True)) as app:
        from trainer.extensions import db

        first, second = make_user("learner", "first@example.org"), make_user("learner")
        first.name, second.name = "Ann <b>Lee</b> & co", "Bo Smith"
        db.session.commit()
        people = {"first@example.org": app.test_client(), "learner@example.org": app.test_client()}
        for email, client in people.items():
            with app.app_context():
                login = read(client, "/auth/login")
                token = login.select_one('input[name="csrf_token"]')["value"]
                client.post(
                    "/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
                )
        kept = app.jinja_env.pages
        before = len(kept)
        pages = {email: read(client, MODULE) for email, client in people.items()}
        assert len(kept) == before + 1  # the second person was served the page kept for the first

        names = {
            e: p.select_one(".app-account-bar__text").get_text(strip=True) for e, p in pages.items()
        }
        assert names == {
            "first@example.org": "Signed in as Ann <b>Lee</b> & co",
            "learner@example.org": "Signed in as Bo Smith",
        }
        tokens = {email: form_token(page, f"{MODULE}/complete") for email, page in pages.items()}
        assert tokens["first@example.org"] != tokens["learner@example.org"]
        for email, client in people.items():
            with app.app_context():
                marked = client.post(f"{MODULE}/complete", data={"csrf_token": tokens[email]})
            assert marked.status_code == 302, email
            assert "You have marked this module as read." in read(client, MODULE).get_text()
            with app.app_context():
                signed_out = client.post(
                    "/auth/logout", data={"csrf_token": form_token(pages[email], "/auth/logout")}
                )
            assert signed_out.status_code == 302, email


def test_kept_pages_stay_within_their_byte_budget_dropping_the_least_recently_used():
    pages = PageStore(budget=30)
    a, b, c, d = ("x" * 4, "mark", "x" * 2), ("y" * 10,), ("z" * 10,), ("w" * 10,)
    for key, page in zip("abc", (a, b, c), strict=True):
        pages.put(key, page)
    assert pages.get("a") == a  # now the most recently used
    pages.put("d", d)
    assert [pages.get(key) for key in "abcd"] == [a, None, c, d]
    pages.put("a", ("v" * 25,))
    assert len(pages) == 1 and pages.get("a") == ("v" * 25,)


def test_a_page_is_kept_when_the_session_clock_moved_on_before_it_was_rendered(app):
    make_user("learner", email="lee@example.org")
    make_user("learner", email="max@example.org")
    lee, max_ = app.test_client(), app.test_client()
    for email, client in (("lee@example.org", lee), ("max@example.org", max_)):
        with app.app_context():
            sign_in(client, email)
    with lee.session_transaction() as session:
        session["seen_at"] -= 120  # the cookie is signed again once a minute
        last_seen = session["seen_at"]
    kept = app.jinja_env.pages
    before = len(kept)
    assert "Signed in as Test Learner" in read(lee, MODULE).get_text()
    with lee.session_transaction() as session:
        assert session["seen_at"] > last_seen
    assert len(kept) == before + 1
    read(max_, MODULE)
    assert len(kept) == before + 1  # served the page kept while Lee's clock moved on


def course_status(page: BeautifulSoup) -> str:
    card = page.select_one(".app-card")
    status = card.select(".govuk-body")[-1]
    return status.get_text(" ", strip=True) if status.select(".govuk-tag") else ""


def test_each_learner_sees_their_own_standing_on_the_home_page(app):
    from datetime import UTC, date, datetime

    from trainer.extensions import db
    from trainer.models import CourseCompletion

    people = {
        name: make_user("learner", email=f"{name}@example.org")
        for name in ("lee", "ada", "sam", "kim")
    }
    db.session.add_all(
        CourseCompletion(
            user_id=people[name].id,
            course_id="basics",
            cycle=0,
            completed_at=datetime(2026, 11, day, 12, tzinfo=UTC),
            refresher_due=date(2028, 11, day),
            cpd_minutes=40,
        )
        for name, day in (("sam", 2), ("kim", 3))
    )
    db.session.commit()
    clients = {name: app.test_client() for name in people}
    for name, client in clients.items():
        with app.app_context():
            sign_in(client, f"{name}@example.org")
    with app.app_context():
        clients["lee"].post(f"{MODULE}/complete")
    expected = {
        "lee": "In progress 1 of 2 modules read, 0 of 1 final assessments passed.",
        "ada": "Not started",
        "sam": "Completed on 2 November 2026. Refresher due 2 November 2028.",
        "kim": "Completed on 3 November 2026. Refresher due 3 November 2028.",
    }
    visitor = app.test_client()
    for _ in range(2):  # in turn, so that each is served cards the others' requests rendered
        for name, client in clients.items():
            assert course_status(read(client, "/")).startswith(expected[name]), name
        assert course_status(read(visitor, "/")) == ""

    with app.app_context():
        clients["ada"].post(f"{MODULE}/complete")
    assert course_status(read(clients["ada"], "/")).startswith("In progress 1 of 2")
    assert course_status(read(clients["kim"], "/")).startswith(expected["kim"])
