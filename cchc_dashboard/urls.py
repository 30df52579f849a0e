from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cchc_dashboard.views import healthz
from indicators import urls as indicator_urls

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("entry/", include(indicator_urls.entry_patterns)),
    path("review/", include(indicator_urls.review_patterns)),
    path("index-process/", include(indicator_urls.index_process_patterns)),
    path("", include(indicator_urls.official_index_patterns)),
    path("", include(indicator_urls.urlpatterns)),
]

# A database error outside a view still answers the plain 503 page (see cchc_dashboard/middleware.py).
handler500 = "cchc_dashboard.views.server_error"
