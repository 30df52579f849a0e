"""Helpers for browser journeys: navigation that records every console error, page error and
CSP violation, axe-core accessibility checks, and login for the signed-in journeys.

Journeys 2 (district admin enters figures) and 3 (provincial staff approves) use the same
helpers: `journey.login(username, password)`, `journey.goto(...)`, `journey.check_accessibility()`.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

AXE_JS = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")

# Runs before any page script (injected by the browser, so the page's CSP does not apply to it).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""


class Journey:
    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.problems: list[str] = []
        self.visited: list[str] = []
        self.expected_document_status: int | None = None
        self.documents_with_expected_status: list[str] = []
        page.add_init_script(REPORT_CSP_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: page error: {error}"))
        page.on("response", self._response)

    def _console(self, message):
        if message.type not in ("error", "assert"):
            return
        # Chromium logs every 4xx page as "Failed to load resource"; for a page declared with
        # expect_document_status (a form shown again with its errors answers 400) that is no error.
        if message.text.startswith("Failed to load resource") and message.location.get("url") in (
            self.documents_with_expected_status
        ):
            return
        self.problems.append(f"{self.page.url}: console {message.type}: {message.text}")

    def _response(self, response):
        if response.request.resource_type == "document":
            if response.status == self.expected_document_status:
                self.documents_with_expected_status.append(response.url)
        elif response.status >= 400:
            self.problems.append(f"{self.page.url}: {response.status} for {response.url}")

    @contextmanager
    def expect_document_status(self, status: int):
        """The page loaded inside this block answers `status` on purpose, and must: e.g. 400 for a
        form shown again with its errors. Chromium's console line about that status is then not
        counted as an error; every other console error still is."""
        self.expected_document_status = status
        seen = len(self.documents_with_expected_status)
        try:
            yield
            self.page.wait_for_load_state()
        finally:
            self.expected_document_status = None
        assert len(self.documents_with_expected_status) > seen, f"no page answered {status} in this step"

    # --- navigation ---------------------------------------------------------------------------
    def goto(self, path: str):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        self.visited.append(path)
        return response

    def wait_for_charts(self):
        """Every chart container on the page shows its chart: the picture drawn on the server, or
        plotly's SVG where the reader has made the charts interactive (charts.js)."""
        charts = self.page.locator("[data-chart]")
        for index in range(charts.count()):
            expect(charts.nth(index).locator(".chart-picture svg, .main-svg").first).to_be_attached(timeout=15_000)
        return charts.count()

    def make_charts_interactive(self):
        """As a reader who wants plotly's chart: press the first chart's "Biểu đồ tương tác" button,
        then bring each chart near the screen, where charts.js draws it with plotly."""
        charts = self.page.locator("[data-chart]")
        charts.first.locator(".chart-interactive").click()
        for index in range(charts.count()):
            charts.nth(index).scroll_into_view_if_needed()
            expect(charts.nth(index).locator(".main-svg").first).to_be_attached(timeout=15_000)
        return charts.count()

    def login(self, username: str, password: str, next_path: str = "/"):
        self.goto(f"/accounts/login/?next={next_path}")
        self.page.get_by_label("Tên đăng nhập").fill(username)
        self.page.get_by_label("Mật khẩu").fill(password)
        self.page.get_by_role("button", name="Đăng nhập").click()
        self.page.wait_for_load_state()

    # --- checks -------------------------------------------------------------------------------
    def check_accessibility(self, context: str = "", *, impacts=BLOCKING_IMPACTS, skip_rules: tuple[str, ...] = ()):
        """axe-core on the current page; fails on any violation of the given impacts (serious or
        critical unless told; `impacts=None` for every one, minor and moderate included), leaving
        out the axe rules in `skip_rules`."""
        if not AXE_JS.exists():
            pytest.skip(f"{AXE_JS} is missing: `make static/vendor/axe.min.js` copies it from npm's axe-core")
        # Served from our own origin: an inline copy (add_script_tag(path=...)) is what our CSP
        # forbids, and the test would then fail on the CSP violation it causes.
        self.page.add_script_tag(url=f"{self.base_url}/static/vendor/axe.min.js")
        result = self.page.evaluate(
            "async (skip) => (await axe.run(document, {resultTypes: ['violations'],"
            " rules: Object.fromEntries(skip.map(id => [id, {enabled: false}]))})).violations"
            ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))",
            list(skip_rules),
        )
        blocking = [v for v in result if impacts is None or v["impact"] in impacts]
        assert not blocking, f"axe on {context or self.page.url}: " + "; ".join(
            f"[{v['impact']}] {v['id']}: {v['help']} at {v['nodes']}" for v in blocking
        )

    def assert_no_browser_errors(self):
        assert not self.problems, "the browser reported:\n" + "\n".join(self.problems)
