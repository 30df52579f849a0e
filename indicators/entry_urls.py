"""/entry/…: district admins' data entry, the history of a value and bulk import."""

from django.urls import path

from indicators.views import entry

app_name = "entry"

urlpatterns = [
    path("", entry.entry_list, name="list"),
    path("import/", entry.import_upload, name="import"),
    path("import/template.<str:file_format>", entry.import_template, name="import-template"),
    path("import/<int:pk>/", entry.import_preview, name="import-preview"),
    path("import/<int:pk>/confirm/", entry.import_confirm, name="import-confirm"),
    path("values/<int:pk>/history/", entry.value_history, name="value-history"),
    path("<str:unit_code>/<int:year>/", entry.entry_form, name="form"),
]
