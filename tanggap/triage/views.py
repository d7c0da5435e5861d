"""Console action of triage: an agent sets the sentiment of a customer message (the label the
sentiment model learns from)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tanggap.conversations.selectors import tickets_visible_to
from tanggap.triage import sentiment
from tanggap.triage.models import MessageTriage
from tanggap.triage.services import sentiment_label_set
from tanggap.web.access import staff_required


@require_POST
@staff_required
def sentiment_label(request, message_id: int):
    triage = (MessageTriage.objects.select_related("ticket")
              .filter(message_id=message_id, ticket__in=tickets_visible_to(request.user)).first())
    if triage is None:
        raise Http404  # a message of a ticket the caller may not see: its existence is not disclosed
    label = request.POST.get("label", "")
    if label not in sentiment.LABELS:
        messages.error(request, _("Choose negative, neutral or positive."))
    else:
        sentiment_label_set(triage=triage, label=label, actor=request.user)
        messages.success(request, _("Sentiment saved: the model learns from it at its next training."))
    return redirect("web:ticket", ticket_id=triage.ticket_id)
