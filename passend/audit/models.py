"""The audit trail: who did or saw what, when (NEN 7513 style)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One audited event (auditregel). Written explicitly by services, never by signals.

    ``object_type`` and ``object_code`` name the object by its public id, never by content, so
    the log itself holds no special-category data. Rows are append-only by convention (no
    update or delete path in the application); ``hash`` chains every row to the previous one
    (passend.audit.chain), so a changed or deleted row is detected by ``passend audit verify``.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor (tekst)"), max_length=254, blank=True)
    partnership = models.ForeignKey(
        "organisations.Partnership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("SWV"),
    )
    school = models.ForeignKey(
        "organisations.School",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
    )
    action = models.CharField(_("actie"), max_length=64, db_index=True)
    object_type = models.CharField(_("objecttype"), max_length=64, blank=True)
    object_code = models.CharField(_("object-id"), max_length=64, blank=True, db_index=True)
    timestamp = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    extra = models.JSONField(_("details"), default=dict, blank=True)
    previous_hash = models.CharField(_("vorige hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False, unique=True)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-timestamp"]
        indexes = [models.Index(fields=["partnership", "timestamp"])]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"
