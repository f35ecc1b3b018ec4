"""Form pages sent back with errors: the title says so once, and the error summary comes first."""

import pytest
from bs4 import BeautifulSoup

from tests.conftest import make_organisation, make_user, sign_in

# (role signed in, address, what the page is called)
FORM_PAGES = [
    (None, "/auth/register", "Create an account"),
    (None, "/auth/reset", "Reset your password"),
    (None, "/join", "Join a session"),
    ("learner", "/account", "Your account"),
    ("learner", "/account/details", "Change your details"),
    ("learner", "/account/email", "Change your email address"),
    ("learner", "/account/password", "Change your password"),
    ("learner", "/account/delete", "Delete your account"),
    ("learner", "/cpd/activities/new", "Add CPD done elsewhere"),
    ("admin", "/admin/organisations", "Organisations"),
    ("admin", "/admin/partnerships", "Partnerships"),
    ("admin", "/admin/imports", "Import people"),
    ("admin", "/admin/organisations/{org}", "Northbridge Council"),
]


@pytest.mark.parametrize(("role", "address", "name"), FORM_PAGES)
def test_a_form_sent_back_with_errors_says_error_once_in_the_title(
    app, client, role, address, name
):
    org = make_organisation()
    if role:
        make_user(role, org=org)
        sign_in(client, f"{role}@example.org")
    response = client.post(address.format(org=org.id), data={"submit": "Send"})
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.title.string.startswith(f"Error: {name} \u2013 ")
    main = page.select_one("main")
    assert main.select_one(".govuk-error-summary") is not None
    assert main.h1.get_text(strip=True) == name
