"""Every page of the app: the public pages, the district index and targets, open data (`urlpatterns`), the
`entry`, `review` and `index_process` namespaces, which the project mounts at /entry/, /review/ and
/index-process/, and the public official index (`official_index_patterns`)."""

from django.urls import path

from indicators.views import (
    entry,
    exports,
    importers,
    index_appraisal,
    index_process,
    index_public,
    index_sets,
    public,
    review,
)
from indicators.views import index as index_views

entry_patterns = (
    [
        path("", entry.entry_list, name="list"),
        path("import/", entry.import_upload, name="import"),
        path("import/template.<str:file_format>", entry.import_template, name="import-template"),
        path("import/<int:pk>/", entry.import_preview, name="import-preview"),
        path("import/<int:pk>/confirm/", entry.import_confirm, name="import-confirm"),
        # Reports of the systems that already hold the figures (imports/layout_files/).
        path("systems/", importers.layout_upload, name="systems"),
        path("systems/<int:pk>/", importers.layout_preview, name="systems-preview"),
        path("systems/<int:pk>/confirm/", importers.layout_confirm, name="systems-confirm"),
        path("systems/<int:pk>/mapping/", importers.layout_mapping, name="systems-mapping"),
        path("values/<int:pk>/history/", entry.value_history, name="value-history"),
        path("<str:unit_code>/<int:year>/", entry.entry_form, name="form"),
    ],
    "entry",
)

review_patterns = (
    [
        path("", review.review_queue, name="queue"),
        path("<str:unit_code>/<int:year>/", review.review_unit_year, name="unit-year"),
    ],
    "review",
)

# The CCHC index process (issue 15): the signed-in workflow, mounted at /index-process/.
index_process_patterns = (
    [
        path("", index_process.home, name="home"),
        path("notifications/", index_process.notifications, name="notifications"),
        path("sets/import/", index_sets.set_import, name="set-import"),
        path("sets/import/template.xlsx", index_sets.set_template, name="set-template"),
        path("sets/<slug:code>/", index_sets.set_detail, name="set"),
        path("sets/<slug:code>/survey/", index_sets.survey, name="survey"),
        path("sets/<slug:code>/council/", index_sets.council, name="council"),
        path("sets/<slug:code>/publish/", index_sets.publish, name="publish"),
        path("sets/<slug:code>/reopen/", index_sets.reopen, name="reopen"),
        path("assess/<slug:code>/<str:unit_code>/", index_process.assess, name="assess"),
        path("assess/<slug:code>/<str:unit_code>/evidence/", index_process.evidence_add, name="evidence-add"),
        path("appraise/<slug:code>/<str:unit_code>/", index_appraisal.appraise, name="appraise"),
        path("appraise/<slug:code>/<str:unit_code>/reopen/", index_appraisal.appraise_reopen, name="appraise-reopen"),
        path("threads/<int:pk>/", index_appraisal.thread, name="thread"),
        path("evidence/<int:pk>/", index_process.evidence_file, name="evidence-file"),
        path("evidence/<int:pk>/delete/", index_process.evidence_delete, name="evidence-delete"),
    ],
    "index_process",
)

# The published official index, public: mounted at the root beside the other public pages.
official_index_patterns = [
    path("official-index/", index_public.official_index, name="official-index"),
    path("official-index/<slug:code>/", index_public.official_ranking, name="official-ranking"),
    path("official-index/<slug:code>/results.<str:file_format>", index_public.official_export, name="official-export"),
    path("official-index/<slug:code>/<str:unit_code>/", index_public.official_unit, name="official-unit"),
]

urlpatterns = [
    path("", public.home, name="home"),
    path("indicators/", public.indicator_list, name="indicator-list"),
    path("indicators/<slug:code>/", public.indicator_detail, name="indicator-detail"),
    path("units/<str:code>/", public.unit_detail, name="unit-detail"),
    path("compare/", public.compare, name="compare"),
    path("areas/<slug:code>/", public.area_detail, name="area-detail"),
    path("scorecard/", public.scorecard, name="scorecard"),
    path("sources/", public.source_list, name="source-list"),
    path("sources/<slug:code>/", public.source_detail, name="source-detail"),
    # The site's reconstruction of the district index, with what-if, and the targets staff manage.
    path("index/", index_views.index, name="index"),
    path("index/<str:code>/", index_views.district, name="index-district"),
    path("targets/", index_views.target_list, name="target-list"),
    path("targets/new/", index_views.target_edit, name="target-create"),
    path("targets/<int:pk>/", index_views.target_edit, name="target-edit"),
    path("targets/<int:pk>/delete/", index_views.target_delete, name="target-delete"),
    path("api/values.csv", exports.values_csv, name="values-csv"),
    path("api/values.json", exports.values_json, name="values-json"),
    path("api/datapackage.zip", exports.datapackage, name="datapackage"),
    path("open-data/", exports.open_data_page, name="open-data"),
    path("lang/<str:code>/", public.switch_language, name="switch-language"),
]
