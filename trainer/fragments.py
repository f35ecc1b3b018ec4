"""Parts of pages rendered once and reused: `{% fragment "name", key, ... %}...{% endfragment %}`.

The GOV.UK page chrome (header, navigation, footer) and the parts of a content page that
come from the content are the same for everyone in the same state, yet rendering them through
the GOV.UK macros is most of what a page costs. A fragment is rendered the first time its
key is seen and its HTML reused after that.

The rule that keeps this safe: a fragment's key names everything its HTML depends on, and a
fragment holds nothing that belongs to one person or one request (a name, a CSRF token, a
nonce, progress): those stay outside it. Every key also carries the content version, so new
content is never shown inside old fragments.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from flask import current_app, g, has_request_context, render_template, request, session
from flask_login import current_user
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from jinja2.runtime import Context
from markupsafe import Markup

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


# Stands in for the request's script nonce in a page kept for visitors: letters only, so it
# reads the same escaped or not, and the nonce of each request replaces it.
NONCE_MARK = "cspnoncemarkcspnoncemark"


def render_page(template: str, key: Hashable, **context) -> str:
    """Render a page; for visitors who are not signed in, once per key and content version.

    Such a page is the same for every visitor but for the script nonce, which is put in on
    each request. Anything that makes it personal is never kept: a signed-in person, a
    message waiting to be shown, or a form token made while rendering it.
    """
    if current_user.is_authenticated or "_flashes" in session:
        return render_template(template, **context)
    store = current_app.jinja_env.fragments
    version = getattr(current_app.extensions.get("catalogue"), "version", "")
    full_key = ("page", version, request.script_root, template, key)
    page = store.get(full_key)
    if page is None:
        page = render_template(template, csp_nonce=NONCE_MARK, **context)
        if not (session.modified or "csrf_token" in g):
            store.put(full_key, page)
    return page.replace(NONCE_MARK, g.csp_nonce)


class FragmentExtension(Extension):
    tags = frozenset({"fragment"})

    def __init__(self, environment) -> None:
        super().__init__(environment)
        environment.extend(fragments=FragmentStore())

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
