"""Parts of pages rendered once and reused: `{% fragment "name", key, ... %}...{% endfragment %}`.

The GOV.UK page chrome (header, navigation, footer) and the parts of a content page that
come from the content are the same for everyone in the same state, yet rendering them through
the GOV.UK macros is most of what a page costs. A fragment is rendered the first time its
key is seen and its HTML reused after that.

The rule that keeps this safe: a fragment's key names everything its HTML depends on, and a
fragment holds nothing that belongs to one person or one request (a name, a CSRF token, a
nonce, progress): those stay outside it. Every key also carries the content version, so new
content is never shown inside old fragments.

Whole content pages (render_page) are kept the same way, by everything they depend on, with
marks where the request's own nonce, form token and the person's name are put in.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import current_app, g, has_request_context, render_template, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from jinja2.runtime import Context
from markupsafe import Markup, escape

from .navigation import navigation

# Far more than the states pages can be in (sections, roles and content pages together);
# a key from elsewhere cannot grow the store without bound.
LIMIT = 4096


class FragmentStore:
    """Rendered fragments by key, emptied whole when full."""

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self._fragments: dict[Hashable, Markup] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Markup | None:
        return self._fragments.get(key)

    def put(self, key: Hashable, fragment: Markup) -> None:
        with self._lock:
            if len(self._fragments) >= self.limit:
                self._fragments.clear()
            self._fragments[key] = fragment

    def get_or_render(self, key: Hashable, render: Callable[[], Markup]) -> Markup:
        fragment = self.get(key)
        if fragment is None:
            fragment = render()
            self.put(key, fragment)
        return fragment

    def __len__(self) -> int:
        return len(self._fragments)


# Whole pages kept for reuse are larger than fragments: at most this many bytes of them per
# process, the least recently used dropped first.
PAGE_BYTES = 16 * 1024 * 1024


class PageStore:
    """Rendered pages by key, each split at its marks (text, mark, text, ...), within a byte
    budget, least recently used dropped first."""

    def __init__(self, budget: int = PAGE_BYTES) -> None:
        self.budget = budget
        self._pages: OrderedDict[Hashable, tuple[str, ...]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[str, ...] | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: Hashable, page: tuple[str, ...]) -> None:
        with self._lock:
            old = self._pages.pop(key, ())
            self._bytes += _size(page) - _size(old)
            self._pages[key] = page
            while self._bytes > self.budget and len(self._pages) > 1:
                _, dropped = self._pages.popitem(last=False)
                self._bytes -= _size(dropped)

    def __len__(self) -> int:
        return len(self._pages)


def _size(page: tuple[str, ...]) -> int:
    return sum(map(len, page))


# Each stands in, in a kept page, for what belongs to one request: letters only, so each reads
# the same escaped or not. Every request puts in its own values (fill_in).
NONCE_MARK = "cspnoncemarkcspnoncemark"
CSRF_MARK = "csrftokenmarkcsrftokenmark"
NAME_MARK = "personnamemarkpersonnamemark"
_MARKS = re.compile(f"({NONCE_MARK}|{CSRF_MARK}|{NAME_MARK})")
_FILL = {
    NONCE_MARK: lambda: g.csp_nonce,
    CSRF_MARK: generate_csrf,
    NAME_MARK: lambda: str(escape(current_user.name)),
}


def _keeping() -> bool:
    return has_request_context() and g.get("keeping_page", False)


def csrf_token() -> str:
    """The form token for templates; a mark while a page to be kept is rendered."""
    return CSRF_MARK if _keeping() else generate_csrf()


def signed_in_name() -> str:
    """The signed-in person's name for templates; a mark while a page to be kept is rendered."""
    return NAME_MARK if _keeping() else current_user.name


def _fill_in(parts: tuple[str, ...]) -> str:
    """The page with this request's nonce, form token and name in place of its marks."""
    values = {mark: _FILL[mark]() for mark in set(parts[1::2])}
    page = list(parts)
    page[1::2] = [values[mark] for mark in parts[1::2]]
    return "".join(page)


def render_page(template: str, key: Hashable, **context) -> str:
    """Render a page once for everyone who would see the same page, and reuse it.

    key, with the template, must name everything the page's own content depends on (for
    example whether this person has read the module); the content version, where the service
    is mounted, whether someone is signed in and the navigation they see are added here. What
    belongs to one request (the script nonce, the form token and the person's name) is put in
    on each request. A page is never kept while a message waits to be shown, or when
    rendering it made a form token or changed the session (a change made before it, such as
    the session clock moving on, says nothing of the page).
    """
    if "_flashes" in session:
        return render_template(template, **context)
    version = getattr(current_app.extensions.get("catalogue"), "version", "")
    signed_in = current_user.is_authenticated
    full_key = (version, request.script_root, template, key, signed_in, navigation().key)
    store = current_app.jinja_env.pages
    page = store.get(full_key)
    if page is None:
        was_modified, was = session.modified, dict(session)
        page = tuple(_MARKS.split(_render_to_keep(template, context)))
        changed = (session.modified and not was_modified) or dict(session) != was
        if not (changed or "csrf_token" in g):
            store.put(full_key, page)
    return _fill_in(page)


def _render_to_keep(template: str, context: dict) -> str:
    g.keeping_page = True
    try:
        # Flask-WTF also hands templates its form token through a context processor, which
        # the values given here override.
        return render_template(template, csp_nonce=NONCE_MARK, csrf_token=csrf_token, **context)
    finally:
        g.keeping_page = False


class FragmentExtension(Extension):
    tags = frozenset({"fragment"})

    def __init__(self, environment) -> None:
        super().__init__(environment)
        environment.extend(fragments=FragmentStore(), pages=PageStore())
        # Flask-WTF's form token, and the name shown to a signed-in person, become marks in
        # pages rendered to be kept (render_page).
        environment.globals.update(csrf_token=csrf_token, signed_in_name=signed_in_name)

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        key = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        body = parser.parse_statements(("name:endfragment",), drop_needle=True)
        call = self.call_method("_fragment", [nodes.ContextReference(), nodes.Tuple(key, "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _fragment(self, context: Context, key: tuple, caller: Callable[[], Markup]) -> Markup:
        # Links inside depend on where the service is mounted, as well as on the content.
        version = getattr(context.get("catalogue"), "version", "")
        root = request.script_root if has_request_context() else ""
        return self.environment.fragments.get_or_render((version, root, *key), caller)
