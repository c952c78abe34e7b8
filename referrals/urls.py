from django.urls import include, path

urlpatterns = [
    path("", include("referrals.urls_intake")),
    path("", include("referrals.urls_workflow")),
]
