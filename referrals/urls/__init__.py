from django.urls import include, path

urlpatterns = [
    path("", include("referrals.urls.intake")),
    path("", include("referrals.urls.workflow")),
]
