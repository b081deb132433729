"""``passend retention --dry-run | --apply``: report (and with --apply delete) the students whose
retention period has passed, per school."""

from django.core.management.base import BaseCommand, CommandError

from passend.privacy.retention import purge


class Command(BaseCommand):
    help = "Delete students who left longer ago than the partnership's retention period."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--dry-run", action="store_true", help="report only (default)")
        group.add_argument("--apply", action="store_true", help="delete, all or nothing")

    def handle(self, *args, **options):
        if not (options["dry_run"] or options["apply"]):
            raise CommandError("say --dry-run (report) or --apply (delete)")
        report = purge(apply=options["apply"])
        verb = "deleted" if report.applied else "would delete"
        for (name, location), count in sorted(report.per_school.items()):
            self.stdout.write(f"{location} {name}: {count} students")
        self.stdout.write(
            f"{verb}: {report.students} students, {report.cases} cases, "
            f"{report.consents} consents (retention date {report.on:%Y-%m-%d})"
        )
