"""The learner's journey without rough edges, at a desktop and a phone width, with axe-core
reporting no violation of any impact (the `region` rule for landmarks included)."""

import re
import uuid
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import pass_the_basics_check, served, sign_in_as
from tests.browser.test_learning_journeys import BEST_PATH, choose, newest_link, register
from tests.conftest import PASSWORD, make_app
from trainer import PROJECT_ROOT
from trainer.auth.services import create_user
from trainer.demo import seed_demo
from trainer.extensions import db

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "phone": 390}
SKIPPED_SUFFIXES = (".pdf", ".csv", ".xlsx", ".json", ".ics")


@pytest.fixture(params=list(WIDTHS.values()), ids=list(WIDTHS))
def page(browser, request):
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def curriculum_server(tmp_path_factory):
    """The real curriculum (modules/, quizzes/, case_examples/) served with the demo accounts."""
    folder = tmp_path_factory.mktemp("curriculum")
    database = f"sqlite:///{folder / 'live.db'}"
    app = make_app(folder, SQLALCHEMY_DATABASE_URI=database, CONTENT_DIR=str(PROJECT_ROOT))
    with app.app_context():
        db.create_all()
        seed_demo(folder / "demo-accounts.txt", password=PASSWORD)
    with served(app) as address:
        yield address


def accessibility_problems(page) -> list[str]:
    """Every axe-core violation, whatever its impact."""
    from axe_playwright_python.sync_playwright import Axe

    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in Axe().run(page).response["violations"]
    ]


def accessible(page) -> None:
    assert accessibility_problems(page) == [], page.url


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def new_learner(live_app) -> str:
    """A learner of our own, so no other test's progress shows on these pages."""
    email = f"journey-{uuid.uuid4().hex[:8]}@example.org"
    with live_app.app_context():
        create_user(email, "Jo Journey", PASSWORD, ["learner"], sector="health")
        db.session.commit()
    return email


def test_glossary_definitions_are_closed_until_their_term_is_clicked(live_server, page):
    page.goto(live_server + "/courses/basics/why-share")
    term = page.locator(".app-prose").get_by_role("link", name="Designated safeguarding lead")
    definition = page.get_by_text("The person in a setting who leads on safeguarding.")
    expect(definition).to_be_hidden()
    expect(term).to_have_attribute("aria-expanded", "false")
    accessible(page)
    term.click()
    expect(definition).to_be_visible()
    expect(term).to_have_attribute("aria-expanded", "true")
    assert page.url.endswith("/courses/basics/why-share")
    accessible(page)
    term.click()
    expect(definition).to_be_hidden()


def test_without_javascript_a_term_leads_to_its_definition_in_the_glossary(live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/courses/basics/why-share")
    page.locator(".app-prose").get_by_role("link", name="Designated safeguarding lead").click()
    assert page.url.endswith("/glossary#term-dsl")
    expect(page.locator("#term-dsl + dd")).to_contain_text("leads on safeguarding")
    context.close()


def test_completing_a_course_says_so_on_the_result_course_and_home_pages(live_app, page):
    base = live_app.config["BASE_URL"]
    sign_in_as(page, base, new_learner(live_app), PASSWORD)
    page.goto(base + "/courses/basics/why-share")
    page.get_by_role("button", name="Mark as read and continue").click()
    page.get_by_role("button", name="Mark as read", exact=True).click()
    pass_the_basics_check(page, base)
    expect(page.get_by_role("heading", level=1, name="Course complete")).to_be_visible()
    expect(page.get_by_role("link", name="Download your certificate (PDF)")).to_be_visible()
    accessible(page)

    page.goto(base + "/courses/basics")
    expect(page.get_by_role("heading", name="Course complete")).to_be_visible()
    for module in ("Why share", "How to decide"):
        item = page.locator(".app-module-list li", has_text=module)
        expect(item.get_by_text("Read", exact=True)).to_be_visible()
    expect(page.get_by_text("Passed", exact=True)).to_be_visible()
    accessible(page)

    page.goto(base + "/")
    expect(page.get_by_role("heading", name="Course complete")).to_be_visible()
    expect(page.locator(".app-continue")).to_have_count(0)  # the only course is done
    accessible(page)


def test_the_sign_in_bar_is_inside_the_header_landmark(live_server, page):
    page.goto(live_server + "/")
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
    accessible(page)
    sign_in_as(page, live_server, "learner@example.org", PASSWORD)
    expect(page.get_by_role("banner").get_by_text("Signed in as Lena Learner")).to_be_visible()
    accessible(page)
    assert fits_the_screen(page)


def test_on_a_phone_the_menu_button_shows_and_hides_the_navigation(live_server, browser):
    context = browser.new_context(viewport={"width": WIDTHS["phone"], "height": 900})
    page = context.new_page()
    page.goto(live_server + "/")
    menu, sections = page.get_by_role("button", name="Menu"), page.locator("#navigation")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(sections).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(sections.get_by_role("link", name="Case examples")).to_be_visible()
    menu.click()
    expect(sections).to_be_hidden()
    context.close()


def test_signed_out_home_invites_people_to_create_an_account(live_server, page):
    page.goto(live_server + "/")
    page.get_by_role("button", name="Create an account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Create"))


def test_scenario_steps_say_which_decision_of_how_many(live_app, page):
    base = live_app.config["BASE_URL"]
    sign_in_as(page, base, new_learner(live_app), PASSWORD)
    page.goto(base + "/quizzes/bruise-scenario")
    page.get_by_role("button", name=re.compile("^Start")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decision 1 of up to 3")
    accessible(page)
    choose(page, BEST_PATH[0])
    expect(page.get_by_role("heading", level=1)).to_have_text("Decision 2 of 2")
    accessible(page)
    choose(page, BEST_PATH[1])
    page.goto(base + "/cases/")
    item = page.locator(".app-card", has_text="A bruise on a baby")
    expect(item.get_by_text("Completed", exact=True)).to_be_visible()
    accessible(page)
    assert fits_the_screen(page)


def test_a_used_confirmation_link_says_so_and_sends_another(live_server, page, outbox):
    email = f"twice-{uuid.uuid4().hex[:8]}@example.org"
    register(page, live_server, email, "Ola Twice")
    link = newest_link(outbox, "Confirm your email address", email)
    page.goto(link)
    page.get_by_role("button", name="Sign out").click()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has already been used")
    accessible(page)
    page.get_by_role("button", name="Send a new link").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your email address")
    accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Send a new link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    accessible(page)


# The real curriculum ------------------------------------------------------------------------


def test_session_plans_list_and_link_modules_and_scroll_their_tables(curriculum_server, page):
    sign_in_as(page, curriculum_server, "trainer@example.org", PASSWORD)
    page.goto(curriculum_server + "/courses/essentials")
    notes = page.locator(".app-facilitator")
    expect(notes.locator("ul li").first).to_be_visible()
    plan = notes.get_by_role(
        "region", name="Table: Half-day plan (3 hours 30 minutes including a break)"
    )
    expect(plan.get_by_role("link", name="The seven golden rules")).to_be_visible()
    assert fits_the_screen(page)
    accessible(page)
    page.goto(curriculum_server + "/courses/essentials/golden-rules")
    expect(page.locator(".app-facilitator ul li").first).to_contain_text("Rule 3")
    assert fits_the_screen(page)
    accessible(page)


def test_model_records_keep_each_sentence_on_one_line(curriculum_server, page):
    sign_in_as(page, curriculum_server, "lead@example.org", PASSWORD)
    page.goto(curriculum_server + "/quizzes/scenario-csc-neighbour-referral")
    page.get_by_role("button", name=re.compile("^(Start|Start again|Continue attempt)")).click()
    page.locator("input[name=choice]").first.wait_for()  # the first decision, not the overview
    while page.locator("input[name=choice]").count():
        page.locator("input[name=choice]").first.check()
        with page.expect_navigation():  # count the next page's choices, not this one's
            page.get_by_role("button", name="Continue").click()
    assert fits_the_screen(page)
    for label in ("What did you decide?", "When?", "Why?", "On what lawful basis?"):
        page.get_by_label(label).fill("Written for the test.")
    page.get_by_label("Who did you share with, or decide not to share with?").fill("No one")
    page.get_by_role("button", name="Save my record").click()
    decision = page.locator("#compare-records tbody tr").first.locator("td").last
    expect(decision).to_contain_text("Neighbour's call (2 June)")
    assert "\n" not in decision.inner_text().strip()
    assert fits_the_screen(page)
    accessible(page)


def same_site_pages(page, base: str, limit: int = 400):
    """Every page reachable by following same-site links from the home page, breadth-first:
    each address and whether it fitted the screen. Downloads are not pages; POST-only
    addresses are reached only by forms, which this does not submit."""
    seen, queue = set(), deque(["/"])
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(base + path)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        yield path, fits_the_screen(page)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            address = urlsplit(urljoin(base + path, href))
            if address.netloc != urlsplit(base).netloc or address.path.endswith(SKIPPED_SUFFIXES):
                continue
            queue.append(address.path + (f"?{address.query}" if address.query else ""))


def test_no_page_a_learner_can_reach_is_wider_than_a_phone(curriculum_server, browser):
    context = browser.new_context(viewport={"width": WIDTHS["phone"], "height": 900})
    page = context.new_page()
    sign_in_as(page, curriculum_server, "learner@example.org", PASSWORD)
    crawled = list(same_site_pages(page, curriculum_server))
    context.close()
    assert len(crawled) > 50  # courses, modules, cases, quizzes, CPD, account and more
    assert [path for path, fits in crawled if not fits] == []
