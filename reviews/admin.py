"""Admin for the reviews app's reference data: the elements Ofsted grades (domain brief §6.10: "store the
elements and the grade scale as editable data"). Case records are changed only through the pages."""

from django.contrib import admin

from .models import OfstedElement


@admin.register(OfstedElement)
class OfstedElementAdmin(admin.ModelAdmin):
    list_display = ["position", "name", "headline", "active"]
    list_editable = ["active"]
    ordering = ["position"]
