"""Django admin for boards, agencies, people and memberships. Staff see only the boards they manage;
superusers see everything (they run the installation). Objects of another board are a 404, not a
redirect, so the admin does not confirm that they exist."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import Http404

from .models import Agency, Board, Membership, User
from .permissions import MANAGE_BOARD, boards_for_user
from .services import membership_grant, membership_revoke


def managed_boards(request):
    return boards_for_user(request.user, MANAGE_BOARD)


class ManagedBoardsAdmin:
    """Open to superusers and to those who manage a board; a missing or other board's record is a 404."""

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404("No such record.")

    def has_module_permission(self, request):
        return request.user.is_superuser or managed_boards(request).exists()

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


class BoardScopedAdmin(ManagedBoardsAdmin, admin.ModelAdmin):
    board_lookup = "board"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.board_lookup}__in": managed_boards(request)}).distinct()

    has_change_permission = ManagedBoardsAdmin.has_view_permission
    has_add_permission = ManagedBoardsAdmin.has_view_permission

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "board" and not request.user.is_superuser:
            kwargs["queryset"] = managed_boards(request)
        if db_field.name == "agency" and not request.user.is_superuser:
            kwargs["queryset"] = Agency.objects.filter(board__in=managed_boards(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Board)
class BoardAdmin(BoardScopedAdmin):
    board_lookup = "pk"
    list_display = ["name", "short_name", "nation"]
    search_fields = ["name"]

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        return queryset if request.user.is_superuser else queryset.filter(pk__in=managed_boards(request))

    def has_add_permission(self, request):
        return request.user.is_superuser


@admin.register(Agency)
class AgencyAdmin(BoardScopedAdmin):
    list_display = ["name", "board", "kind", "core_member", "out_of_area"]
    list_filter = ["kind", "core_member", "out_of_area"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(BoardScopedAdmin):
    list_display = ["user", "board", "role", "agency", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__full_name", "user__email"]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj, form, change):
        if change:
            previous = Membership.objects.get(pk=obj.pk)
            membership_revoke(membership=previous)
        saved = membership_grant(
            user=obj.user, board=obj.board, role=obj.role, agency=obj.agency, granted_by=request.user
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        membership_revoke(membership=obj)


@admin.register(User)
class UserAdmin(ManagedBoardsAdmin, DjangoUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "organisation", "is_active"]
    search_fields = ["full_name", "email"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal details", {"fields": ("full_name", "job_title", "organisation")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(memberships__board__in=managed_boards(request)).distinct()

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_staff", "is_superuser"]
        return readonly


admin.site.site_header = "Serious Case Review portal administration"
admin.site.site_title = "SCR portal admin"
