"""How old the last base backup and the last archived write-ahead log segment are, against the targets in
settings (BACKUP_MAX_AGE_HOURS, WAL_MAX_AGE_MINUTES). Exit status 1 when a target is missed, so cron or a
monitoring agent can alert on it; 0 when all is well or backup monitoring is not configured
(PGBACKREST_STANZA unset). docs/operations.md "Backups"."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from scr_portal.backup import age, backup_status


class Command(BaseCommand):
    help = "Report the age of the last base backup and last archived WAL segment against the targets."

    def handle(self, *args, **options):
        status = backup_status()
        if not status.configured:
            self.stdout.write("Backup monitoring is not configured (set PGBACKREST_STANZA).")
            return
        now = timezone.now()
        base = (
            f"{status.last_base_backup:%Y-%m-%d %H:%M:%S %Z}, {age(now - status.last_base_backup)} ago "
            f"({status.base_backup_label})"
            if status.last_base_backup
            else "none"
        )
        wal = (
            f"{status.last_archived_wal} at {status.last_archived_at:%Y-%m-%d %H:%M:%S %Z}, "
            f"{age(now - status.last_archived_at)} ago"
            if status.last_archived_at
            else "none"
        )
        self.stdout.write(f"Stanza:                 {settings.PGBACKREST_STANZA}")
        self.stdout.write(f"Last base backup:       {base} (target {settings.BACKUP_MAX_AGE_HOURS} h)")
        self.stdout.write(f"Last archived WAL:      {wal} (target {settings.WAL_MAX_AGE_MINUTES} min)")
        self.stdout.write(f"WAL waiting to archive: {'yes' if status.wal_waiting else 'no'}")
        if status.ok:
            self.stdout.write(self.style.SUCCESS("Backups: ok"))
            return
        for problem in status.problems:
            self.stderr.write(f"Backups: STALE: {problem}")
        raise SystemExit(1)
