"""Form pages sent back with errors: the title says so once, and the error summary comes first."""

import pytest
from bs4 import BeautifulSoup

from tests.app.test_facilitate import join_as_guest, new_session_form, open_room
from tests.conftest import make_organisation, make_user, sign_in

FORM_PAGES = {
    None: ["/auth/register", "/auth/reset", "/join"],
    "learner": [
        "/account",
        "/account/details",
        "/account/email",
        "/account/password",
        "/account/delete",
        "/cpd/activities/new",
    ],
    "admin": [
        "/admin/organisations",
        "/admin/partnerships",
        "/admin/imports",
        "/admin/organisations/{org}",
    ],
}


def parsed(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.mark.parametrize(
    ("role", "address"),
    [(role, address) for role, addresses in FORM_PAGES.items() for address in addresses],
)
def test_a_form_sent_back_with_errors_says_error_once_in_the_title(app, client, role, address):
    org = make_organisation()
    if role:
        make_user(role, org=org)
        sign_in(client, f"{role}@example.org")
    address = address.format(org=org.id)
    name = parsed(client.get(address)).h1.get_text(strip=True)
    page = parsed(client.post(address, data={"submit": "Send"}))
    assert page.title.string.startswith(f"Error: {name} \u2013 ")
    assert page.select_one("main .govuk-error-summary") is not None
    assert page.h1.get_text(strip=True) == name


def error_summary(response) -> list[str]:
    return [li.get_text(strip=True) for li in parsed(response).select(".govuk-error-summary li")]


def test_a_session_for_a_course_not_in_the_list_asks_for_the_course(app, client):
    org = make_organisation()
    make_user("trainer", org=org)
    sign_in(client, "trainer@example.org")
    response = client.post("/sessions/new", data=new_session_form(org.id, course_id="nonsense"))
    assert "Select the course" in error_summary(response)


def test_feedback_with_a_rating_not_offered_asks_how_useful_it_was(app):
    trainer = make_user("trainer", org=make_organisation())
    session, _presenter = open_room(app, trainer, trainer.organisation)
    phone = join_as_guest(app, session.join_code, "Ann", "police")
    response = phone.post(f"/sessions/{session.id}/feedback", data={"rating": "9"})
    assert error_summary(response) == ["Select how useful the session was"]
