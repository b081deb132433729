"""``passend audit verify``: recompute the audit trail's hash chain; exit 1 naming the first
row that was changed or follows a deleted row, else print the number of rows and the head hash
(archive it elsewhere to detect deletion of the newest rows)."""

from django.core.management.base import BaseCommand, CommandError

from passend.audit import chain
from passend.audit.models import AuditEvent


class Command(BaseCommand):
    help = "Audit trail tools: `verify` checks the hash chain."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        verdict = chain.verify(AuditEvent)
        if not verdict.ok:
            what = {
                "content": "its content was changed",
                "previous_hash": "the row before it was changed or deleted",
            }[verdict.reason]
            raise CommandError(
                f"audit trail broken at row {verdict.broken_at}: {what} "
                f"({verdict.checked} rows before it are intact)"
            )
        self.stdout.write(
            self.style.SUCCESS(f"audit trail intact: {verdict.checked} rows, head {verdict.head}")
        )
