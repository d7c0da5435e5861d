"""Models of surveys (issue 6): questionnaires, their questions (texts in id/ms/en as data),
sends (one per survey put to a customer, with its unguessable token), answers and the
service-recovery tasks a low score opens. See docs/surveys.md."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.common.clock import now


class SurveyKind(models.TextChoices):
    CSAT = "csat", _("CSAT (1–5)")
    NPS = "nps", _("NPS (0–10)")
    CES = "ces", _("CES (1–7)")
    OUTCOME = "outcome", _("Response outcome (5 outcomes)")
    CUSTOM = "custom", _("Custom questionnaire")


class Trigger(models.TextChoices):
    TICKET_SOLVED = "ticket_solved", _("When a ticket is solved")
    DELIVERED = "delivered", _("N days after delivery")
    PERIODIC = "periodic", _("Periodically")
    MANUAL = "manual", _("Only when sent by hand")


class QuestionType(models.TextChoices):
    RATING = "rating", _("Rating (1 to N)")
    SCALE = "scale", _("Scale 0–10")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Free text")


class Survey(models.Model):
    """A questionnaire. Built-in ones (``builtin=True``) carry a ``kind`` whose score is computed
    from the question keyed ``score`` (CSAT/NPS/CES) or ``satisfaction`` + ``feeling`` (outcome)."""

    key = models.SlugField(max_length=40, unique=True)
    kind = models.CharField(max_length=10, choices=SurveyKind.choices, default=SurveyKind.CUSTOM)
    name = models.JSONField(default=dict)  # {"id": ..., "ms": ..., "en": ...}
    intro = models.JSONField(default=dict, blank=True)
    builtin = models.BooleanField(default=False)
    active = models.BooleanField(default=False)
    trigger = models.CharField(max_length=20, choices=Trigger.choices, default=Trigger.MANUAL)
    delay_days = models.PositiveIntegerField(default=3)  # delivered + N days
    period_days = models.PositiveIntegerField(default=90)  # periodic: every N days
    expiry_days = models.PositiveIntegerField(default=14)  # the answer link works this long
    created_at = models.DateTimeField(default=now, editable=False)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.key

    def name_in(self, language: str) -> str:
        return self.name.get(language) or self.name.get("id") or self.key

    @property
    def name_in_current(self) -> str:
        from django.utils.translation import get_language

        return self.name_in((get_language() or "id")[:2])


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=40)
    position = models.PositiveIntegerField(default=0)
    type = models.CharField(max_length=10, choices=QuestionType.choices)
    text = models.JSONField(default=dict)  # {"id", "ms", "en"}
    # Choices: [{"value": "fast", "id": "...", "ms": "...", "en": "..."}]; rating: [] and max_value.
    choices = models.JSONField(default=list, blank=True)
    max_value = models.PositiveSmallIntegerField(default=5)  # rating 1..max_value
    low_label = models.JSONField(default=dict, blank=True)
    high_label = models.JSONField(default=dict, blank=True)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["survey", "key"], name="survey_question_key")]

    def text_in(self, language: str) -> str:
        return self.text.get(language) or self.text.get("id") or self.key


class SendStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    ANSWERED = "answered", _("Answered")
    SKIPPED = "skipped", _("Skipped")


class SurveySend(models.Model):
    """One survey put to one customer. Created ``scheduled`` by a trigger (``trigger_key`` makes
    each trigger fire once), sent by the worker. ``quota_period`` is set when it is sent: the
    unique (customer, quota_period) constraint is what keeps two workers from surveying one
    customer twice in a period."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="sends")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="survey_sends")
    ticket = models.ForeignKey("conversations.Ticket", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="survey_sends")
    order = models.ForeignKey("customers.Order", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="survey_sends")
    trigger_key = models.CharField(max_length=120, unique=True)
    status = models.CharField(max_length=10, choices=SendStatus.choices, default=SendStatus.SCHEDULED)
    reason = models.CharField(max_length=40, blank=True)  # why skipped
    due_at = models.DateTimeField(default=now)
    token = models.CharField(max_length=43, unique=True, default=secrets.token_urlsafe, editable=False)
    language = models.CharField(max_length=5, default="id")
    quota_period = models.PositiveIntegerField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)  # when a worker took it (scheduled → sending)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    message = models.ForeignKey("conversations.Message", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    # What the results are grouped by, kept as it was when sent.
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    channel_kind = models.CharField(max_length=20, blank=True)
    category = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "quota_period"], name="survey_one_per_customer_period"),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="survey_send_due"),
            models.Index(fields=["customer", "-sent_at"], name="survey_send_customer"),
        ]


class SurveyResponse(models.Model):
    send = models.OneToOneField(SurveySend, on_delete=models.CASCADE, related_name="response")
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    kind = models.CharField(max_length=10, choices=SurveyKind.choices)
    answers = models.JSONField(default=dict)  # {question key: int | str | [str]}
    score = models.SmallIntegerField(null=True, blank=True)  # CSAT 1-5, NPS 0-10, CES 1-7
    outcome = models.PositiveSmallIntegerField(null=True, blank=True)  # 1-5 (article 004)
    low = models.BooleanField(default=False)
    answered_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["kind", "answered_at"], name="survey_response_kind_at")]


class RecoveryTask(models.Model):
    """Service recovery after a low score: call the customer back before ``due_at``."""

    response = models.OneToOneField(SurveyResponse, on_delete=models.CASCADE, related_name="recovery")
    ticket = models.ForeignKey("conversations.Ticket", on_delete=models.CASCADE, related_name="recovery_tasks")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="recovery_tasks")
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["done_at", "due_at"], name="recovery_open_due")]

    @property
    def overdue(self) -> bool:
        return self.done_at is None and self.due_at < now()
