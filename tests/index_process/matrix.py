"""The index process's lines of the authorisation matrix (tests/site_urls.py merges them), and the
data they point at: Long An's 2024 district set, self-assessed by Tân Trụ (805, district admin A) and
Cần Giuộc (807, B), appraised, surveyed and published, so that every URL names something real.

A (805) gets their own unit's pages, B gets 404 for them (nothing revealed), staff run the process,
the public sees the published results; evidence files are not public in this set.
"""

from __future__ import annotations

from tests.site_urls import LOGIN, ONLY_GET, ONLY_POST, PUBLIC, Expect, Redirect, by_role

DONE = Redirect()
SET = "long-an-huyen-2024-ma-tran"
STAFF_ONLY = by_role(LOGIN, 403, 403, 200, 200)
STAFF_POST = by_role(LOGIN, 403, 403, 400, 400)


def _score_pk():
    from indicators.models import AssessmentScore

    return (
        AssessmentScore.objects.filter(assessment__criteria_set__code=SET, assessment__unit__code="805")
        .order_by("criterion__order")
        .values_list("pk", flat=True)
        .first()
    ) or 0


def _evidence_pk():
    from indicators.models import Evidence

    found = Evidence.objects.filter(assessment__criteria_set__code=SET, assessment__unit__code="805")
    return found.values_list("pk", flat=True).first() or 0


A = {"code": SET, "unit_code": "805"}

INDEX_EXPECTATIONS: dict[str, Expect] = {
    "index-process/": Expect(by_role(LOGIN, 200, 200, 200, 200), post=ONLY_GET),
    # An empty POST switches notifications off for the user (an unticked box) and goes back.
    "index-process/notifications/": Expect(
        by_role(LOGIN, 200, 200, 200, 200), post=by_role(LOGIN, DONE, DONE, DONE, DONE)
    ),
    "index-process/sets/import/": Expect(STAFF_ONLY, post=STAFF_POST),
    "index-process/sets/import/template.xlsx": Expect(STAFF_ONLY, post=ONLY_GET),
    "index-process/sets/<slug:code>/": Expect(STAFF_ONLY, {"code": SET}, post=ONLY_GET),
    "index-process/sets/<slug:code>/survey/": Expect(STAFF_ONLY, {"code": SET}, post=STAFF_POST),
    "index-process/sets/<slug:code>/council/": Expect(ONLY_POST, {"code": SET}, post=STAFF_POST),
    "index-process/sets/<slug:code>/publish/": Expect(ONLY_POST, {"code": SET}, post=STAFF_POST),
    "index-process/sets/<slug:code>/reopen/": Expect(ONLY_POST, {"code": SET}, post=STAFF_POST),
    # The year is published, so locked: A's POST is refused with 409, B learns nothing (404).
    "index-process/assess/<slug:code>/<str:unit_code>/": Expect(
        by_role(LOGIN, 200, 404, 403, 200), A, post=by_role(LOGIN, 409, 404, 403, 409)
    ),
    "index-process/assess/<slug:code>/<str:unit_code>/evidence/": Expect(
        ONLY_POST, A, post=by_role(LOGIN, 409, 404, 403, 409)
    ),
    "index-process/appraise/<slug:code>/<str:unit_code>/": Expect(
        STAFF_ONLY, A, post=by_role(LOGIN, 403, 403, 409, 409)
    ),
    "index-process/appraise/<slug:code>/<str:unit_code>/reopen/": Expect(ONLY_POST, A, post=STAFF_POST),
    "index-process/threads/<int:pk>/": Expect(ONLY_POST, {"pk": _score_pk}, post=by_role(LOGIN, 400, 404, 400, 400)),
    # Files are sent to the unit's admins and staff only (this set keeps them private after publication).
    "index-process/evidence/<int:pk>/": Expect(by_role(404, 200, 404, 200, 200), {"pk": _evidence_pk}),
    "index-process/evidence/<int:pk>/delete/": Expect(
        ONLY_POST, {"pk": _evidence_pk}, post=by_role(LOGIN, 409, 404, 403, 409)
    ),
    "official-index/": Expect(PUBLIC),
    "official-index/<slug:code>/": Expect(PUBLIC, {"code": SET}),
    "official-index/<slug:code>/results.<str:file_format>": Expect(PUBLIC, {"code": SET, "file_format": "csv"}),
    "official-index/<slug:code>/<str:unit_code>/": Expect(PUBLIC, A),
}


def index_matrix_data(users) -> None:
    """The published 2024 district set the matrix's URLs point at."""
    from tests.index_process.helpers import published_year, small_set

    criteria_set = small_set(users["staff"], code=SET)
    published_year(users["staff"], {"805": users["admin_a"], "807": users["admin_b"]}, criteria_set)
