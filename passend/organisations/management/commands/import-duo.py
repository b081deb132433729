"""``passend import-duo``: load an SWV's schools and student counts from DUO open data."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from passend.organisations import duo
from passend.organisations.services import import_duo


class Command(BaseCommand):
    help = (
        "Import the VO locations of the given municipalities from DUO's 'alle vestigingen VO' "
        "file into a partnership (created when missing), with optional student counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--locations", required=True, type=Path, help="alle-vestigingen-vo.csv")
        parser.add_argument("--enrollments", type=Path, help="leerlingen-vo-per-vestiging-YYYY.csv")
        parser.add_argument("--school-year", help="school year of the counts, e.g. 2025-2026")
        parser.add_argument(
            "--partnership", required=True, help="DUO administratienummer, e.g. 'VO 28-12'"
        )
        parser.add_argument("--partnership-name", help="name, required when it is created")
        parser.add_argument(
            "--municipality",
            action="append",
            default=[],
            help="municipality of the SWV's area (repeat); case-insensitive",
        )

    def handle(self, *args, **options):
        if not any(m.strip() for m in options["municipality"]):
            raise CommandError("give at least one --municipality (the partnership's area)")
        if options["school_year"] and not options["enrollments"]:
            raise CommandError("--school-year is the year of the --enrollments counts; give both")
        show_progress = sys.stderr.isatty() and options["verbosity"] > 0

        def progress(stage: str, done: int, total: int) -> None:
            if show_progress and (done == total or done % 25 == 0):
                end = "\n" if done == total else ""
                sys.stderr.write(f"\r{stage}: {done}/{total}{end}")
                sys.stderr.flush()

        try:
            summary = import_duo(
                locations=options["locations"],
                enrollments=options["enrollments"],
                school_year=options["school_year"],
                partnership_number=options["partnership"],
                partnership_name=options["partnership_name"],
                municipalities=options["municipality"],
                progress=progress,
            )
        except (duo.DuoFileError, ValueError) as error:
            raise CommandError(f"{error} (nothing was written)") from None
        if options["verbosity"] > 0:
            if summary.partnership_created:
                self.stdout.write(f"partnership {options['partnership']} created")
            elif summary.partnership_updated:
                self.stdout.write(f"partnership {options['partnership']} renamed")
            for line in summary.lines():
                self.stdout.write(line)
