"""Reports and the admin area in a real browser, wide and narrow: axe-core finds nothing,
nothing spills sideways out of the page, and wide tables scroll inside a labelled region."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as
from tests.conftest import PASSWORD
from trainer.extensions import db
from trainer.models import Certificate, Organisation, User

pytestmark = pytest.mark.browser

WIDTHS = {"wide": 1280, "narrow": 390}
BAD_IMPORT = (
    "name,email,organisation,team,job role,roles\n"
    "Ada Lovelace,ada@example.org,Northbridge Children's Services,,Social worker,learner\n"
    "No Email,not-an-email,Northbridge Children's Services,,,\n"
    "Lost Soul,lost@example.org,Nowhere Council,,,\n"
)


def accessibility_violations(page) -> list[str]:
    """Every axe-core violation on the page, whatever its impact."""
    from axe_playwright_python.sync_playwright import Axe

    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in Axe().run(page).response["violations"]
    ]


def overflow(page) -> list[str]:
    """Elements wider than the page, outside a scrolling region made for them."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const found = [];
          if (document.documentElement.scrollWidth > width) found.push("page: " + document.documentElement.scrollWidth);
          for (const el of document.querySelectorAll("main *")) {
            if (el.closest(".app-table-scroll")) continue;
            const box = el.getBoundingClientRect();
            if (box.width && box.right > width + 1) found.push(el.tagName + "#" + el.id + "." + el.className + " " + Math.round(box.right));
          }
          return found.slice(0, 5);
        }"""
    )


def check(page, name: str) -> None:
    """axe, no overflow, every scrolling region focusable and labelled; a screenshot if asked."""
    folder = os.environ.get("TRAINER_SCREENSHOTS")
    if folder:
        width = page.viewport_size["width"]
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
    assert accessibility_violations(page) == [], page.url
    assert overflow(page) == [], page.url
    for region in page.locator(".app-table-scroll").all():
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("role") == "region"
        assert region.get_attribute("aria-labelledby") or region.get_attribute("aria-label")


@pytest.fixture(params=list(WIDTHS))
def sized(browser, request):
    context = browser.new_context(viewport={"width": WIDTHS[request.param], "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_the_reports_pages(live_server, sized):
    page = sized
    sign_in_as(page, live_server, "lead@example.org", PASSWORD)
    page.goto(live_server + "/reports/")
    expect(page.get_by_role("heading", name="Training reports", level=1)).to_be_visible()
    expect(page.locator("#people-table tbody tr").first).to_contain_text("example.org")
    check(page, "reports-dashboard")
    page.get_by_label("Status").select_option("overdue")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#key-figures")).to_contain_text("Overdue for a refresher")
    check(page, "reports-overdue")
    page.goto(live_server + "/reports/?from=31&from=2&from=2026")
    expect(page.get_by_role("alert")).to_be_visible()
    check(page, "reports-error")
    page.goto(live_server + "/reports/")
    page.get_by_role("link", name=re.compile("^Routes and missed principles")).click()
    check(page, "reports-cases")
    page.get_by_role("link", name="A bruise on a baby").click()
    expect(page.get_by_role("heading", name="A bruise on a baby", level=1)).to_be_visible()
    # The demo's twelve staff, and anyone other browser tests have taken through it since.
    expect(
        page.get_by_text(re.compile(r"^People who finished it: (1[2-9]|[2-9]\d)\.$"))
    ).to_be_visible()
    check(page, "reports-case")


def test_the_charts_have_their_figures_in_tables(live_server, sized):
    page = sized
    sign_in_as(page, live_server, "lead@example.org", PASSWORD)
    page.goto(live_server + "/reports/")
    for caption in ("course", "organisation", "agency", "team"):
        figure = page.locator(f"#by-{caption}-caption").locator("..")
        table = figure.get_by_role("table", name=re.compile(f"by {caption}: figures$"))
        expect(table).to_be_visible()
        expect(table.locator("tbody tr").first).to_be_visible()


def demo_ids(live_app) -> dict[str, int]:
    with live_app.app_context():
        org = db.session.scalars(db.select(Organisation).order_by(Organisation.id)).first()
        person = db.session.scalars(db.select(User).where(User.email == "priya.shah@example.org"))
        certificate = db.session.scalars(db.select(Certificate)).first()
        return {"org": org.id, "person": person.one().id, "certificate": certificate.id}


def test_the_admin_pages(live_app, live_server, sized, tmp_path):
    page = sized
    ids = demo_ids(live_app)
    sign_in_as(page, live_server, "admin@example.org", PASSWORD)
    for path, name in (
        ("/admin/", "admin-index"),
        ("/admin/organisations", "admin-organisations"),
        (f"/admin/organisations/{ids['org']}", "admin-organisation"),
        ("/admin/partnerships", "admin-partnerships"),
        ("/admin/people", "admin-people"),
        (f"/admin/people/{ids['person']}", "admin-person"),
        ("/admin/certificates", "admin-certificates"),
        (f"/admin/certificates/{ids['certificate']}/revoke", "admin-revoke"),
        ("/admin/audit", "admin-audit"),
        ("/admin/imports", "admin-imports"),
    ):
        page.goto(live_server + path)
        expect(page.locator("h1")).to_have_count(1)
        check(page, name)
    upload = tmp_path / "staff.csv"
    upload.write_text(BAD_IMPORT)
    page.get_by_label("CSV file").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("Enter an email address in the correct format")).to_be_visible()
    check(page, "admin-import-preview")
    page.goto(live_server + f"/admin/certificates/{ids['certificate']}/revoke")
    page.get_by_role("button", name="Revoke certificate").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check(page, "admin-revoke-error")
