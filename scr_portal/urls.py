from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from . import views

# The admin signs in through allauth, so it gets the second factor and the lockout like every other page.
admin.site.login = secure_admin_login(admin.site.login)
handler403 = "scr_portal.views.forbidden"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("bench/floor", views.bench_floor, name="bench_floor"),  # benchmark only, off unless enabled
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("boards/switch/", views.board_switch, name="board_switch"),
    path("boards/<int:pk>/", views.board_detail, name="board_detail"),
    path("boards/<int:pk>/contact-details/", views.board_edit, name="board_edit"),
    path("", include("scr_portal.clock.settings_urls")),
    path("dev/mailbox/", views.dev_mailbox, name="dev_mailbox"),
    path("", include("scr_portal.clock.urls")),
    path("", include("referrals.urls")),
    path("", include("scr_portal.documents.urls")),
    path("", include("reviews.urls")),
    path("", include("scr_portal.reports.urls")),
    path("", include("imr.urls")),
    path("", include("scr_portal.audit.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
