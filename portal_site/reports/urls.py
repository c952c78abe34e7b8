"""The board reports (included at the root by portal_site.urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.report_index, name="report_index"),
    path("reports/annual/", views.annual_summary, name="report_annual"),
    path("reports/<slug:slug>/", views.report, name="report"),
]
