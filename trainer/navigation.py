"""The service navigation: which sections a person sees, and which one they are in.

Worked out in Python so that the navigation's HTML can be rendered once per state (the
sections shown and the one that is current) and reused: see trainer/fragments.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_login import current_user


@dataclass(frozen=True)
class Section:
    text: str
    endpoint: str
    anchor: str | None = None
    prefix: str = ""  # every endpoint starting with this belongs to the section
    endpoints: tuple[str, ...] = ()  # or exactly these

    def is_current(self, endpoint: str) -> bool:
        if self.anchor:
            return False
        return endpoint in (self.endpoints or (self.endpoint,)) or bool(
            self.prefix and endpoint.startswith(self.prefix)
        )


EVERYONE = (
    Section("Courses", "main.home", endpoints=("main.home", "learn.course", "learn.module")),
    Section("Case examples", "learn.cases", endpoints=("learn.cases", "learn.case")),
    Section("Glossary", "learn.glossary"),
)
SIGNED_IN = (
    Section("My CPD", "cpd.record", prefix="cpd."),
    Section("Account", "account.profile"),
    Section("Sessions", "facilitate.index", prefix="facilitate."),
)
LEARNERS = (Section("Book a session", "facilitate.index", anchor="book"),)
LEADS = (Section("Reports", "reports.dashboard", prefix="reports."),)
ADMINS = (Section("Admin", "admin.index", prefix="admin."),)


def sections(plain_page: bool = False) -> tuple[Section, ...]:
    """The sections this person may use; a plain page (an error page) shows only the public ones."""
    if plain_page or not current_user.is_authenticated:
        return EVERYONE
    shown = EVERYONE + SIGNED_IN
    if current_user.has_role("learner"):
        shown += LEARNERS
    if current_user.has_role("lead") or current_user.has_role("admin"):
        shown += LEADS
    if current_user.has_role("admin"):
        shown += ADMINS
    return shown


@dataclass(frozen=True)
class Navigation:
    shown: tuple[Section, ...]
    current: str  # the text of the section the page is in, or ""

    @property
    def key(self) -> tuple:
        """Everything the navigation's HTML depends on."""
        return tuple(s.text for s in self.shown), self.current

    def items(self) -> list[dict]:
        """The items for GOV.UK's service navigation macro."""
        return [
            {
                "href": url_for(s.endpoint, _anchor=s.anchor),
                "text": s.text,
                "active": s.text == self.current,
            }
            for s in self.shown
        ]


def navigation(plain_page: bool = False) -> Navigation:
    shown = sections(plain_page)
    endpoint = request.endpoint or ""
    return Navigation(shown, next((s.text for s in shown if s.is_current(endpoint)), ""))
