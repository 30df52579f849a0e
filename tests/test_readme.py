"""The README's examples and admin directions match what the site does and shows."""

import csv
import io
import re
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import User
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from indicators.models import UNIT_ADMIN_GROUP, UnitAdminAssignment
from tests.services.test_seed_fixtures import FIGURES

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_the_try_example_lists_exactly_the_articles_can_giuoc_figures(demo_seeded, client):
    (path,) = re.findall(r"Try: `curl '127\.0\.0\.1:8000(/[^']+)'`", README)
    response = client.get(path)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    expected = {(indicator, str(year)) for indicator, unit, year, *_ in FIGURES if unit == "807"}
    assert {(r["indicator_code"], r["year"]) for r in rows} == expected
    assert len(rows) == len(expected) == 6
    assert {(r["unit_code"], r["is_demo"]) for r in rows} == {("807", "0")}
    assert all(r["source_title"].startswith("Không ngừng nâng cao chất lượng") for r in rows)


def test_the_admin_menus_the_readme_names_are_the_admins_own_vietnamese_labels():
    with translation.override("vi"):
        auth = capfirst(apps.get_app_config("auth").verbose_name)
        users = capfirst(User._meta.verbose_name_plural)
        groups = capfirst(User._meta.get_field("groups").verbose_name)
        indicators = capfirst(apps.get_app_config("indicators").verbose_name)
        assignments = capfirst(UnitAdminAssignment._meta.verbose_name_plural)
        add = gettext("Add")
    assert f"{auth} → {users} → {add}:" in README
    assert f"{groups}: choose **{UNIT_ADMIN_GROUP}**" in README
    assert f"{indicators} → {assignments} → {add}:" in README
    assert "Authentication →" not in README and "Unit admin assignments" not in README


def test_the_readme_tells_one_way_to_create_a_unit_admin():
    assert README.count("createsuperuser") == 1
