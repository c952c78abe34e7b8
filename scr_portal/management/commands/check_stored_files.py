"""Compare the stored-file rows with the files on disk (after a restore, or at any time) and list exactly
the rows whose file is missing. Exit status 1 when any is. docs/operations.md "Restoring"."""

from django.core.management.base import BaseCommand

from scr_portal.backup import missing_files
from scr_portal.models import StoredFile


class Command(BaseCommand):
    help = "List stored-file rows whose file is not on disk (exit status 1 when any is)."

    def handle(self, *args, **options):
        total = StoredFile.objects.count()
        missing = missing_files()
        for stored in missing:
            self.stdout.write(
                f"MISSING id={stored.pk} stored_name={stored.stored_name} kind={stored.kind} "
                f"board={stored.board_id} uploaded_at={stored.uploaded_at:%Y-%m-%d %H:%M:%S} "
                f"original_name={stored.original_name!r}"
            )
        if missing:
            self.stderr.write(f"{len(missing)} of {total} stored files are missing.")
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(f"All {total} stored files are on disk."))
