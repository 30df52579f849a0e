"""Every page of the app: the public pages, the district index and targets, open data (`urlpatterns`), and the
`entry` and `review` namespaces, which the project mounts at /entry/ and /review/."""

from django.urls import path

from indicators.views import entry, exports, importers, public, review
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
    path("lang/<str:code>/", public.switch_language, name="switch-language"),
]
