"""Customer-facing message templates, overriding the built-in wording per language."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tanggap.common.clock import now


class MessageTemplate(models.Model):
    key = models.CharField(max_length=60)  # see texts.defaults.DEFAULTS
    language = models.CharField(max_length=5)  # id | ms | en
    body = models.TextField()
    updated_at = models.DateTimeField(default=now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "language"], name="template_key_language")]

    def __str__(self) -> str:
        return f"{self.key} [{self.language}]"
