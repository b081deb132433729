"""``passend reencrypt``: re-encrypt every encrypted field with the first key of
PASSEND_FIELD_KEYS (after a key rotation), in batches, each batch in a transaction."""

from django.core.management.base import BaseCommand
from django.db import transaction

from passend.privacy.fields import encrypted_fields

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields with the current (first) key of PASSEND_FIELD_KEYS."

    def handle(self, *args, **options):
        total = 0
        for model, names in encrypted_fields():
            rows = 0
            pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(pks), BATCH):
                with transaction.atomic():
                    objs = list(
                        model.objects.filter(pk__in=pks[start : start + BATCH]).only(*names)
                    )
                    model.objects.bulk_update(objs, names)
                rows += len(objs)
            total += rows
            self.stdout.write(f"{model._meta.label}: {rows} rows")
        self.stdout.write(self.style.SUCCESS(f"re-encrypted {total} rows"))
