"""/review/…: provincial staff's queue and the approval of one unit-year."""

from django.urls import path

from indicators.views import review

app_name = "review"

urlpatterns = [
    path("", review.review_queue, name="queue"),
    path("<str:unit_code>/<int:year>/", review.review_unit_year, name="unit-year"),
]
