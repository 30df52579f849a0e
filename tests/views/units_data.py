"""The data the public pages' tests read across the 2025 reorganisation, made by the tests themselves."""


def ensure_units_in_force_figures() -> None:
    """Figures for every district for 2019–2024 (Long An's 15 and the former Tây Ninh's 9) and for
    every commune for 2025 (each for the indicators of its level), and no demo figure later, so that
    2025, the communes' first year, is the latest: the shape these tests read, whatever shape the
    demo generator gives the site's data. Made with the demo generator, which never covers a value
    that exists (the article's figures stay)."""
    from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, Source
    from indicators.selectors.unit_periods import FIRST_COMMUNE_YEAR
    from indicators.services import demo as demo_services

    IndicatorValue.objects.filter(year__gt=FIRST_COMMUNE_YEAR, source__kind=Source.Kind.SYNTHETIC_DEMO).delete()
    indicators = list(Indicator.objects.all())
    demo_services.generate_demo_values(
        seed=2024,
        years=range(2019, FIRST_COMMUNE_YEAR),
        units=list(AdministrativeUnit.objects.districts()),
        indicators=[i for i in indicators if i.applies_to_district],
    )
    demo_services.generate_demo_values(
        seed=2024,
        years=[FIRST_COMMUNE_YEAR],
        units=list(AdministrativeUnit.objects.communes()),
        indicators=[i for i in indicators if i.applies_to_commune],
    )
