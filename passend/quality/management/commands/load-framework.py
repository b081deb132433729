"""``passend load-framework``: load a quality framework file into a partnership."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from passend.organisations.models import Partnership, SchoolYear
from passend.quality.frameworkfile import FrameworkFileError, parse
from passend.quality.management.commands import load_framework_path
from passend.quality.services import create_framework_from_file

SHIPPED = load_framework_path()


class Command(BaseCommand):
    help = (
        "Load a quality framework (JSON, format passend-quality-framework/1) into a partnership "
        "as a new version for a school year. Without --file: the shipped Koers VO 2021-2022 "
        "framework."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=SHIPPED)
        parser.add_argument("--partnership", required=True, help="DUO administratienummer")
        parser.add_argument("--school-year", help="e.g. 2025-2026 (default: the file's)")
        parser.add_argument("--publish", action="store_true", help="publish it at once")

    def handle(self, *args, **options):
        partnership = Partnership.objects.filter(duo_number=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"no partnership {options['partnership']!r}")
        try:
            parsed = parse(options["file"].read_bytes())
        except OSError as error:
            raise CommandError(f"{options['file']}: {error.strerror}") from None
        except FrameworkFileError as error:
            raise CommandError(
                f"{options['file']}: " + "; ".join(error.problems) + " (nothing was written)"
            ) from None
        name = options["school_year"] or parsed.school_year
        if not name:
            raise CommandError("give --school-year: the file names none")
        try:
            year = SchoolYear.get_or_create_for_start_year(SchoolYear.parse_name(name))
        except ValueError as error:
            raise CommandError(str(error)) from None
        framework = create_framework_from_file(
            parsed, partnership=partnership, school_year=year, publish=options["publish"]
        )
        self.stdout.write(
            f"{framework.title}: version {framework.version} for {year} "
            f"({framework.aspects.count()} aspects, {framework.get_status_display()})"
        )
