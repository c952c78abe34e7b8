from django.apps import AppConfig


class PortalSiteConfig(AppConfig):
    name = "portal_site"
    verbose_name = "Site"
