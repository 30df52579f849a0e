from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cchc_dashboard.views import healthz
from indicators.views import exports, public
from indicators.views import index as index_views

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
    # Issue 7: the district index, what-if and targets.
    path("index/", index_views.index, name="index"),
    path("index/<str:code>/", index_views.district, name="index-district"),
    path("targets/", index_views.target_list, name="target-list"),
    path("targets/new/", index_views.target_edit, name="target-create"),
    path("targets/<int:pk>/", index_views.target_edit, name="target-edit"),
    path("targets/<int:pk>/delete/", index_views.target_delete, name="target-delete"),
    path("api/values.csv", exports.values_csv, name="values-csv"),
    path("api/values.json", exports.values_json, name="values-json"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("lang/<str:code>/", public.switch_language, name="switch-language"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("entry/", include("indicators.entry_urls")),
    path("review/", include("indicators.review_urls")),
]

# A database error outside a view still answers the plain 503 page (see cchc_dashboard/middleware.py).
handler500 = "cchc_dashboard.views.server_error"
