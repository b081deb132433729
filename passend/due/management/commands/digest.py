"""``passend digest [--dry-run]``: the weekly e-mail of what is due, to every active user who
chose it (run it once a week, e.g. from cron on Monday morning). Counts per kind and a link
only (passend.due.digest); ``--dry-run`` prints the mails instead of sending them."""

from django.core.mail import get_connection
from django.core.management.base import BaseCommand
from django.utils import timezone

from passend.audit.services import record
from passend.due.access import digest_recipients
from passend.due.digest import digest_message


class Command(BaseCommand):
    help = "Send the weekly e-mail of what is due to the users who chose it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="print the e-mails instead of sending them"
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        messages = []
        for user in digest_recipients():
            message = digest_message(user, today)
            if message is not None:
                messages.append(message)
        if options["dry_run"]:
            for message in messages:
                self.stdout.write(f"To: {', '.join(message.to)}\nSubject: {message.subject}\n")
                self.stdout.write(message.body)
                self.stdout.write("-" * 72)
            self.stdout.write(f"would send: {len(messages)} e-mails")
            return
        sent = get_connection().send_messages(messages) if messages else 0
        record("due.digest_sent", actor_label="passend digest", recipients=sent or 0)
        self.stdout.write(f"sent: {sent or 0} e-mails")
