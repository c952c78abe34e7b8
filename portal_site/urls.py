"""The portal's one URL space: the home page, the kernel's pages and every app's, in the order they are
matched."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from . import search, views

# The admin signs in through allauth, so it gets the second factor and the lockout like every other page.
admin.site.login = secure_admin_login(admin.site.login)
handler403 = "scr_portal.views.forbidden"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search.search_page, name="search"),
    path("", include("scr_portal.urls")),
    path("", include("scr_portal.clock.settings_urls")),
    path("", include("scr_portal.clock.urls")),
    path("", include("referrals.urls")),
    path("", include("scr_portal.documents.urls")),
    path("", include("reviews.urls")),
    path("", include("portal_site.reports.urls")),
    path("", include("portal_site.people.urls")),
    path("", include("imr.urls")),
    path("", include("scr_portal.audit.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
