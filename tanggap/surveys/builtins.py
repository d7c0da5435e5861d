"""The four built-in surveys: CSAT, NPS, CES and the response-outcome survey of article 004.
Their texts are data (id/ms/en); ``builtins_ensure`` creates any that are missing."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from tanggap.surveys.models import Question, Survey

COMMENT = {"key": "comment", "type": "text", "required": False,
           "text": {"id": "Ada yang ingin Anda sampaikan?",
                    "ms": "Ada apa-apa yang ingin anda kongsikan?",
                    "en": "Anything you would like to tell us?"}}

BUILTINS = [
    {"key": "csat", "kind": "csat", "trigger": "ticket_solved", "active": True,
     "name": {"id": "Kepuasan pelanggan (CSAT)", "ms": "Kepuasan pelanggan (CSAT)", "en": "Customer satisfaction (CSAT)"},
     "intro": {"id": "Terima kasih telah menghubungi kami. Bagaimana pengalaman Anda?",
               "ms": "Terima kasih kerana menghubungi kami. Bagaimana pengalaman anda?",
               "en": "Thank you for contacting us. How was your experience?"},
     "questions": [
         {"key": "score", "type": "rating", "max_value": 5,
          "text": {"id": "Seberapa puas Anda dengan layanan kami?", "ms": "Sejauh manakah anda berpuas hati dengan perkhidmatan kami?",
                   "en": "How satisfied are you with our service?"},
          "low_label": {"id": "Sangat tidak puas", "ms": "Sangat tidak berpuas hati", "en": "Very dissatisfied"},
          "high_label": {"id": "Sangat puas", "ms": "Sangat berpuas hati", "en": "Very satisfied"}},
         COMMENT]},
    {"key": "nps", "kind": "nps", "trigger": "periodic", "period_days": 90, "active": False,
     "name": {"id": "Kesediaan merekomendasikan (NPS)", "ms": "Kesudian mengesyorkan (NPS)", "en": "Likelihood to recommend (NPS)"},
     "intro": {"id": "Pendapat Anda membantu kami menjadi lebih baik.", "ms": "Pendapat anda membantu kami menjadi lebih baik.",
               "en": "Your opinion helps us improve."},
     "questions": [
         {"key": "score", "type": "scale", "max_value": 10,
          "text": {"id": "Seberapa besar kemungkinan Anda merekomendasikan kami kepada teman atau keluarga?",
                   "ms": "Sejauh manakah kemungkinan anda mengesyorkan kami kepada rakan atau keluarga?",
                   "en": "How likely are you to recommend us to a friend or family member?"},
          "low_label": {"id": "Sama sekali tidak", "ms": "Langsung tidak", "en": "Not at all likely"},
          "high_label": {"id": "Sangat mungkin", "ms": "Sangat mungkin", "en": "Extremely likely"}},
         COMMENT]},
    {"key": "ces", "kind": "ces", "trigger": "delivered", "delay_days": 3, "active": False,
     "name": {"id": "Kemudahan (CES)", "ms": "Kemudahan (CES)", "en": "Customer effort (CES)"},
     "intro": {"id": "Pesanan Anda sudah sampai. Satu pertanyaan singkat:", "ms": "Pesanan anda sudah sampai. Satu soalan ringkas:",
               "en": "Your order has arrived. One quick question:"},
     "questions": [
         {"key": "score", "type": "rating", "max_value": 7,
          "text": {"id": "Kami memudahkan urusan Anda dengan kami.", "ms": "Kami memudahkan urusan anda dengan kami.",
                   "en": "We made it easy for you to handle your matter with us."},
          "low_label": {"id": "Sangat tidak setuju", "ms": "Sangat tidak bersetuju", "en": "Strongly disagree"},
          "high_label": {"id": "Sangat setuju", "ms": "Sangat bersetuju", "en": "Strongly agree"}},
         COMMENT]},
    {"key": "outcome", "kind": "outcome", "trigger": "manual", "active": False,
     "name": {"id": "Hasil tanggapan (artikel 004)", "ms": "Hasil maklum balas (artikel 004)", "en": "Response outcome (article 004)"},
     "intro": {"id": "Bagaimana tanggapan kami atas pertanyaan Anda?", "ms": "Bagaimana maklum balas kami terhadap pertanyaan anda?",
               "en": "How was our response to your question?"},
     "questions": [
         {"key": "satisfaction", "type": "single",
          "text": {"id": "Seberapa puas Anda dengan tanggapan yang Anda terima?",
                   "ms": "Sejauh manakah anda berpuas hati dengan maklum balas yang anda terima?",
                   "en": "How satisfied are you with the response you received?"},
          "choices": [
              {"value": "fully", "id": "Benar-benar puas", "ms": "Benar-benar berpuas hati", "en": "Fully satisfied"},
              {"value": "slightly", "id": "Sedikit puas", "ms": "Sedikit berpuas hati", "en": "Slightly satisfied"},
              {"value": "dissatisfied", "id": "Tidak puas", "ms": "Tidak berpuas hati", "en": "Dissatisfied"},
              {"value": "very_dissatisfied", "id": "Sangat tidak puas", "ms": "Sangat tidak berpuas hati", "en": "Very dissatisfied"}]},
         {"key": "feeling", "type": "single",
          "text": {"id": "Bagaimana perasaan Anda terhadap petugas yang menanggapi Anda?",
                   "ms": "Bagaimana perasaan anda terhadap petugas yang memberi maklum balas?",
                   "en": "How do you feel about the person who responded to you?"},
          "choices": [
              {"value": "warm", "id": "Positif, saya menghargainya", "ms": "Positif, saya menghargainya", "en": "Positive, I appreciate them"},
              {"value": "neutral", "id": "Biasa saja", "ms": "Biasa sahaja", "en": "No strong feeling"},
              {"value": "negative", "id": "Negatif", "ms": "Negatif", "en": "Negative"}]},
         COMMENT]},
]


def builtins_ensure() -> dict[str, Survey]:
    """Create the built-in surveys that do not exist yet (never changes an existing one)."""
    out = {s.key: s for s in Survey.objects.filter(key__in=[b["key"] for b in BUILTINS])}
    for spec in BUILTINS:
        if spec["key"] in out:
            continue
        fields = {k: v for k, v in spec.items() if k != "questions"}
        try:
            with transaction.atomic():
                survey = Survey.objects.create(builtin=True, **fields)
                for i, q in enumerate(spec["questions"]):
                    Question.objects.create(survey=survey, position=i, **q)
        except IntegrityError:  # created concurrently
            survey = Survey.objects.get(key=spec["key"])
        out[spec["key"]] = survey
    return out
