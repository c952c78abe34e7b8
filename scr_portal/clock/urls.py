from django.urls import path

from . import views

urlpatterns = [
    path("deadlines/", views.deadline_dashboard, name="deadline_dashboard"),
    path("deadlines/<int:pk>/", views.deadline_detail, name="deadline_detail"),
    path("deadlines/<int:pk>/met/", views.deadline_meet, name="deadline_meet"),
    path("deadlines/<int:pk>/extend/", views.deadline_extend, name="deadline_extend"),
    path("deadlines/<int:pk>/cancel/", views.deadline_cancel, name="deadline_cancel"),
    path("notifications/undelivered/", views.undelivered_notifications, name="undelivered_notifications"),
    path("notifications/undelivered/<int:pk>/resend/", views.undelivered_resend, name="undelivered_resend"),
    path("account/notifications/", views.notification_settings, name="notification_settings"),
    path("account/calendar/new/", views.calendar_feed_create, name="calendar_feed_create"),
    path("account/calendar/revoke/", views.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
