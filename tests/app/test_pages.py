"""The public pages: courses, modules, cases, glossary and the service's own pages."""

import pytest

from tests.conftest import get_page


def test_home_lists_the_courses(client):
    page = get_page(client, "main.home")
    links = [a.get_text(strip=True) for a in page.select(".app-card h3 a")]
    assert links == ["Sharing basics"]


def test_course_page_lists_modules_in_order_with_durations(client):
    page = get_page(client, "learn.course", course_id="basics")
    items = [li.get_text(" ", strip=True) for li in page.select(".app-module-list li")]
    assert items == ["Why share (15 minutes)", "How to decide (25 minutes)"]


def test_module_page_shows_outcomes_contents_body_sources_and_disclaimer(client):
    page = get_page(client, "learn.module", course_id="basics", module_id="why-share")
    assert page.h1.get_text(strip=True) == "Why share"
    assert "Say why sharing protects children." in page.select_one(".app-outcomes").get_text()
    assert page.select_one(".app-contents a")["href"] == "#why-it-matters"
    assert page.select_one(".app-prose table") is not None
    assert "Test publisher, 2024" in " ".join(
        page.select_one("#sources").find_next("ul").stripped_strings
    )
    assert "not legal advice" in page.select_one(".app-disclaimer").get_text()


def test_module_page_links_to_the_next_module(client):
    page = get_page(client, "learn.module", course_id="basics", module_id="why-share")
    next_link = page.select_one(".govuk-pagination__next a")
    assert next_link["href"] == "/courses/basics/how-to-decide"


@pytest.mark.parametrize(
    ("endpoint", "values"),
    [
        ("learn.course", {"course_id": "no-such-course"}),
        ("learn.module", {"course_id": "basics", "module_id": "no-such-module"}),
        ("learn.case", {"case_id": "no-such-case"}),
    ],
)
def test_unknown_content_is_page_not_found(client, endpoint, values):
    page = get_page(client, endpoint, status=404, **values)
    assert page.h1.get_text(strip=True) == "Page not found"


def test_case_library_filters_by_agency(client):
    page = get_page(client, "learn.cases", agency="childrens-social-care")
    assert [a.get_text(strip=True) for a in page.select(".app-card h2 a")] == ["A bruise on a baby"]
    page = get_page(client, "learn.cases", agency="police")
    assert page.select(".app-card") == []
    assert "No case examples match" in page.get_text()


def test_case_library_ignores_unknown_filter_values(client):
    page = get_page(client, "learn.cases", agency="<script>", age_group="ancient")
    assert len(page.select(".app-card")) == 1
    assert "<script>" not in str(page.select_one("form"))


def test_case_page_shows_stages_and_what_it_illustrates(client):
    page = get_page(client, "learn.case", case_id="bruise-on-baby")
    headings = [h.get_text(strip=True) for h in page.select(".app-prose h2")]
    assert headings == ["Stage 1: The visit", "Stage 2: The call"]
    assert "Protecting a child comes first" in page.get_text()


def test_glossary_gives_each_term_an_anchor(client):
    page = get_page(client, "learn.glossary")
    assert page.select_one("#term-consent").get_text(strip=True) == "Consent"


@pytest.mark.parametrize("endpoint", ["main.accessibility", "main.privacy"])
def test_footer_pages_exist_and_are_linked_from_every_page(client, endpoint):
    get_page(client, endpoint)
    home = get_page(client, "main.home")
    footer_links = {a["href"] for a in home.select("footer a")}
    assert {"/accessibility", "/privacy"} <= footer_links


def test_layout_has_skip_link_service_name_and_no_crown(client):
    page = get_page(client, "main.home")
    assert page.select_one(".govuk-skip-link")["href"] == "#main-content"
    assert page.select_one(".govuk-generic-header").get_text(strip=True) == (
        "Information Sharing Training"
    )
    assert page.select_one(".govuk-header__logotype") is None
    assert "GOV.UK" not in page.title.string


def test_pages_send_security_headers(client):
    response = client.get("/")
    assert "script-src 'self' 'nonce-" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    ("endpoint", "values"),
    [
        ("learn.course", {"course_id": "basics"}),
        ("learn.module", {"course_id": "basics", "module_id": "why-share"}),
        ("learn.case", {"case_id": "bruise-on-baby"}),
    ],
)
def test_trainers_see_facilitator_notes_and_learners_do_not(client, app, endpoint, values):
    from tests.conftest import make_user, sign_in

    make_user("learner", email="learner@example.org")
    make_user("trainer", email="trainer@example.org")
    sign_in(client, "learner@example.org")
    assert get_page(client, endpoint, **values).select_one(".app-facilitator") is None
    client.post("/auth/logout")
    sign_in(client, "trainer@example.org")
    notes = get_page(client, endpoint, **values).select_one(".app-facilitator")
    assert notes is not None and "Facilitator notes" in notes.get_text()
