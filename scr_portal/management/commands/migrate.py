"""`migrate`, connected as the owner role (DATABASE_OWNER_URL) when the deployment has two roles: the
runtime role cannot create or alter tables (scr_portal/db_roles.py). The grants to the runtime role are
applied after every migration by the post_migrate handler."""

from django.core.management.commands.migrate import Command as MigrateCommand

from ...db_roles import as_owner


class Command(MigrateCommand):
    def handle(self, *args, **options):
        with as_owner(options["database"]):
            return super().handle(*args, **options)
