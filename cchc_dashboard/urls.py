from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from indicators.views import exports, public

urlpatterns = [
    path("", public.home, name="home"),
    path("api/values.csv", exports.values_csv, name="values-csv"),
    path("api/values.json", exports.values_json, name="values-json"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("entry/", include("indicators.entry_urls")),
    path("review/", include("indicators.review_urls")),
]
