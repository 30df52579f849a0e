"""Security headers, CSP, login lockout and sessions."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client

from tests.factories import PASSWORD
from tests.site_urls import all_routes, expectation_for

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "style-src-elem": "'self' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
    "style-src-attr": "'unsafe-inline'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def parse_csp(header: str) -> dict[str, str]:
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives}


@pytest.mark.parametrize("role", ["anonymous", "superuser"])
def test_every_url_answers_with_the_content_security_policy(matrix_data, client, role):
    """Every URL of the URL conf, as the public and as the superuser (who can open the admin)."""
    if role != "anonymous":
        client.force_login(matrix_data[role])
    for route in all_routes():
        expect = expectation_for(route)
        url = route.url(**expect.params) + (f"?{expect.query}" if expect.query else "")
        response = client.get(url)
        assert "Content-Security-Policy" in response, url
        policy = parse_csp(response["Content-Security-Policy"])
        for directive, value in EXPECTED_CSP.items():
            assert policy.get(directive) == value, f"{url}: {directive} is {policy.get(directive)!r}"
        assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in policy["script-src"]


def test_no_page_of_ours_has_inline_script_or_event_handlers(matrix_data, client):
    """script-src 'self' would block them; the templates must not depend on them (admin excluded)."""
    for route in all_routes():
        if route.pattern.startswith("admin/"):
            continue
        expect = expectation_for(route)
        response = client.get(route.url(**expect.params) + (f"?{expect.query}" if expect.query else ""))
        if "text/html" not in response.get("Content-Type", "") or response.streaming:
            continue
        html = response.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, f"{route}: inline script {tag}"
        assert not re.search(r"\son[a-z]+\s*=", html), f"{route}: inline event handler"
        assert "javascript:" not in html.lower(), route


def test_production_headers_are_set(client, seeded):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


# --- Login lockout ------------------------------------------------------------------------------


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXY_COUNT = 1
    # LOGIN_REDIRECT_URL names the entry page; these tests say where to go instead.
    return settings


PROXY = "10.0.0.2"  # every request reaches Django from the reverse proxy


def attempt(client, username, password, forwarded_for, remote_addr=PROXY):
    return client.post(
        "/accounts/login/?next=/",
        {"username": username, "password": password},
        headers={"x-forwarded-for": forwarded_for},
        REMOTE_ADDR=remote_addr,
    )


def test_repeated_failures_lock_the_login_with_a_vietnamese_page(axes_on, admin_a, client):
    for _ in range(2):
        response = attempt(client, "tantru", "sai-mat-khau", "203.0.113.5")
        assert response.status_code == 200
        assert "đăng nhập" in response.content.decode().lower()
    assert attempt(client, "tantru", "sai-mat-khau", "203.0.113.5").status_code == 429, "the third failure locks"
    locked = attempt(client, "tantru", PASSWORD, "203.0.113.5")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Tạm khóa đăng nhập" in html
    assert "đăng nhập sai 3 lần" in html
    assert "_auth_user_id" not in client.session, "the right password does not get a locked-out user in"


def test_lockout_follows_the_client_behind_the_proxy_not_the_proxy(axes_on, admin_a):
    attacker, colleague = Client(), Client()
    for _ in range(3):
        attempt(attacker, "tantru", "sai-mat-khau", "203.0.113.5")
    assert attempt(attacker, "tantru", PASSWORD, "203.0.113.5").status_code == 429
    # Same proxy, another client: not locked out by someone else's failures.
    response = attempt(colleague, "tantru", PASSWORD, "198.51.100.7")
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_forged_forwarded_for_does_not_escape_the_lockout(axes_on, admin_a):
    for _ in range(3):
        attempt(Client(), "tantru", "sai-mat-khau", "203.0.113.5")
    # The client prepends an address of its choice; the proxy appends the real one.
    forged = attempt(Client(), "tantru", PASSWORD, "198.51.100.99, 203.0.113.5")
    assert forged.status_code == 429


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(axes_on, admin_a):
    axes_on.TRUSTED_PROXY_COUNT = 0
    for n in range(3):
        attempt(Client(), "tantru", "sai-mat-khau", f"198.51.100.{n}", remote_addr="203.0.113.5")
    assert attempt(Client(), "tantru", PASSWORD, "198.51.100.77", remote_addr="203.0.113.5").status_code == 429


def test_login_page_is_in_vietnamese_and_posts_with_csrf(seeded, client):
    html = client.get("/accounts/login/").content.decode()
    assert "Tên đăng nhập" in html and "Mật khẩu" in html
    assert "csrfmiddlewaretoken" in html


# --- Passwords and sessions ---------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["12345678901", "password123", "tantru-2024"])
def test_weak_passwords_are_refused(admin_a, weak):
    with pytest.raises(ValidationError):
        validate_password(weak, user=admin_a)


def test_strong_password_is_accepted(admin_a):
    validate_password(PASSWORD, user=admin_a)


def test_session_cookie_ends_with_the_browser_and_is_httponly(admin_a, client):
    response = client.post("/accounts/login/?next=/", {"username": "tantru", "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert not cookie["expires"] and not cookie["max-age"], "a browser-session cookie"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    session = Session.objects.get(session_key=cookie.value)
    lifetime = session.expire_date - session.expire_date.__class__.now(tz=session.expire_date.tzinfo)
    assert lifetime.total_seconds() <= 8 * 60 * 60, "and at most 8 hours on the server"


def test_logout_deletes_the_session_so_the_old_cookie_is_worthless(admin_a, client):
    client.post("/accounts/login/?next=/", {"username": "tantru", "password": PASSWORD})
    old_key = client.cookies["sessionid"].value
    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=old_key).exists()
    replay = Client()
    replay.cookies["sessionid"] = old_key
    assert "tantru" not in replay.get("/").content.decode()


def test_password_change_signs_out_every_other_session(superuser):
    user = superuser
    elsewhere, here = Client(), Client()
    elsewhere.force_login(user)
    here.force_login(user)
    new_password = "Mot-mat-khau-moi-2025!"
    response = here.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": new_password, "password2": new_password, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert here.get("/admin/").status_code == 200, "the session that changed it stays signed in"
    assert elsewhere.get("/admin/").status_code == 302, "every other session is signed out"
    assert "root" not in elsewhere.get("/").content.decode()


def test_a_password_set_outside_the_site_also_ends_existing_sessions(admin_a, client):
    user = admin_a
    client.force_login(user)
    assert "tantru" in client.get("/").content.decode()
    user.set_password("Mot-mat-khau-moi-2025!")
    user.save()
    assert "tantru" not in client.get("/").content.decode()


def test_not_found_and_forbidden_pages_speak_the_users_language(seeded, client, admin_b):
    response = client.get("/units/khong-co/")
    assert response.status_code == 404 and "Không tìm thấy trang" in response.content.decode()
    client.force_login(admin_b)  # Cần Giuộc's admin, on Tân Trụ's entry form and on the targets
    response = client.get("/entry/805/2023/")
    assert response.status_code == 404 and "huyện khác" in response.content.decode()
    response = client.get("/targets/")
    assert response.status_code == 403
    assert "Sở Nội vụ" in response.content.decode() and "Forbidden" not in response.content.decode()


# --- Absolute links come from the configured site address, never from the Host header -----------
CITED_PAGES = ["/units/807/", "/indicators/ho-so-truc-tuyen/", "/scorecard/", "/index/?year=2023"]


def _permalinks(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)">\1</a>', html)


@pytest.mark.parametrize("url", CITED_PAGES)
def test_a_forged_host_header_cannot_poison_the_cached_permalink(seeded, settings, url):
    settings.CCHC_SITE_URL = "https://cchc.example.gov.vn"
    attacker = Client().get(url, headers={"host": "localhost:6666"})
    assert attacker.status_code == 200
    visitor = Client().get(url)
    for response in (attacker, visitor):
        links = _permalinks(response.content.decode())
        assert links, "the page has a 'cite this' permalink"
        assert all(link.startswith(f"https://cchc.example.gov.vn{url.split('?')[0]}?") for link in links), links
        assert "6666" not in response.content.decode()


@pytest.mark.parametrize(
    "raw",
    [
        "cchc.example.gov.vn",  # no scheme
        "ftp://cchc.example.gov.vn",
        "https://",
        "https://cchc.example.gov.vn/cchc/",  # a path: permalinks would repeat it
        "https://cchc.example.gov.vn?x=1",
        "https://cchc.example.gov.vn#top",
        "https://admin@cchc.example.gov.vn",
        "https://cchc.example.gov.vn:port",
    ],
)
def test_a_malformed_site_address_stops_start_up_with_one_clear_line(monkeypatch, raw):
    from django.core.exceptions import ImproperlyConfigured

    from cchc_dashboard.env import site_url

    monkeypatch.setenv("CCHC_SITE_URL", raw)
    with pytest.raises(ImproperlyConfigured, match="CCHC_SITE_URL must be the site's address"):
        site_url("CCHC_SITE_URL", "http://127.0.0.1:8000")


def test_the_site_address_defaults_to_local_and_loses_a_trailing_slash(monkeypatch):
    from cchc_dashboard.env import site_url

    monkeypatch.delenv("CCHC_SITE_URL", raising=False)
    assert site_url("CCHC_SITE_URL", "http://127.0.0.1:8000") == "http://127.0.0.1:8000"
    monkeypatch.setenv("CCHC_SITE_URL", "https://CCHC.example.gov.vn:8443/")
    assert site_url("CCHC_SITE_URL", "http://127.0.0.1:8000") == "https://cchc.example.gov.vn:8443"


def test_the_deployment_check_warns_about_a_site_address_nobody_else_can_reach(settings):
    from django.core.checks import run_checks

    def warnings():
        return {message.id for message in run_checks(include_deployment_checks=True)} & {"cchc.W001", "cchc.W002"}

    settings.CCHC_SITE_URL = "http://127.0.0.1:8000"
    assert warnings() == {"cchc.W001"}
    settings.SECURE, settings.CCHC_SITE_URL = True, "http://cchc.example.gov.vn"
    assert warnings() == {"cchc.W002"}
    settings.CCHC_SITE_URL = "https://cchc.example.gov.vn"
    assert warnings() == set()
