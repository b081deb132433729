"""Adds the hash chain to the audit trail and chains the rows already there (in id order)."""

from django.db import migrations, models


def chain_existing(apps, schema_editor):
    from passend.audit import chain

    AuditEvent = apps.get_model("audit", "AuditEvent")
    previous = chain.GENESIS
    last_pk = 0
    while True:
        batch = list(AuditEvent.objects.filter(pk__gt=last_pk).order_by("pk")[:2000])
        if not batch:
            return
        for event in batch:
            event.previous_hash = previous
            event.hash = chain.digest(previous, event)
            previous = event.hash
        AuditEvent.objects.bulk_update(batch, ["previous_hash", "hash"])
        last_pk = batch[-1].pk

class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="vorige hash"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(editable=False, max_length=64, unique=True, verbose_name="hash"),
        ),
    ]
