"""``passend demo``: load the demo data (idempotent) and print the demo accounts."""

import json

from django.core.management.base import BaseCommand

from passend.demo.services import accounts_for_display, load_demo


class Command(BaseCommand):
    help = "Load the demo data set (safe to run again) and print the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--accounts", action="store_true", help="only print the accounts, load nothing"
        )
        parser.add_argument("--json", action="store_true", help="print the accounts as JSON")

    def handle(self, *args, **options):
        if not options["accounts"]:
            load_demo()
        accounts = accounts_for_display()
        if options["json"]:
            self.stdout.write(json.dumps(accounts, ensure_ascii=False, indent=2))
            return
        if not options["accounts"]:
            self.stdout.write("Demo data loaded.")
        self.stdout.write(f"Demo accounts (password for all: {accounts[0]['password']}):")
        for a in accounts:
            where = ", ".join(a["schools"]) or a["partnership"] or "-"
            self.stdout.write(f"  {a['email']:<38} {', '.join(a['roles']):<22} {where}")
