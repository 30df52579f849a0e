"""Users for the tests (one per role of the authorisation matrix, made the same way everywhere) and uploads."""

import io
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.urls import reverse

from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, UnitAdminAssignment
from indicators.services import entry as entry_services

PASSWORD = "Mat-khau-thu-nghiem-2024!"  # passes the password validators, so the login page accepts it

# District admin A enters Tân Trụ's figures (805), B enters Cần Giuộc's (807): both to 2024.
UNIT_A, UNIT_B = "805", "807"
# Since July 2025 the admin of a commune: Xã Cần Giuộc (28159), formed from Cần Giuộc district, and its
# neighbour Xã Phước Lý (28165).
COMMUNE_A, COMMUNE_B = "28159", "28165"


def make_user(username: str, *, group: str | None = None, units=(), **extra) -> User:
    """A user with PASSWORD, in `group` (a role group the migrations made) and assigned to `units`."""
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    for code in units:
        UnitAdminAssignment.objects.create(user=user, unit=AdministrativeUnit.objects.by_code(code))
    return user


def upload(client, content: bytes, name: str = "so-lieu.csv"):
    """POST a file to the import page as `client`."""
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("entry:import"), {"file": file})


def submit(user, unit_code, year, figures: dict):
    """What the form does: the figures with the versions the user saw, saved and submitted."""
    unit = AdministrativeUnit.objects.by_code_in_year(unit_code, year)
    versions = dict(IndicatorValue.objects.filter(unit=unit, year=year).values_list("indicator__code", "version"))
    return entry_services.save_unit_year(
        user=user,
        unit=unit,
        year=year,
        figures=[
            entry_services.EntryFigure(
                indicator=Indicator.objects.get(code=code), value=Decimal(v), version=versions.get(code, 0)
            )
            for code, v in figures.items()
        ],
        submit=True,
    )
