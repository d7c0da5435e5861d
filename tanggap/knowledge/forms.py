from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tanggap.knowledge.models import LANGUAGES, Category

LANGUAGE_LABELS = {"id": _("Indonesian"), "ms": _("Malay"), "en": _("English")}


class ArticleForm(forms.Form):
    slug = forms.SlugField(label=_("Address (slug)"), max_length=120, required=False,
                           help_text=_("Lower-case words joined by dashes; left empty, it comes from the Indonesian title."))
    category = forms.ChoiceField(label=_("Category"), required=False)
    products = forms.CharField(label=_("Products (SKUs, comma-separated)"), required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + [(c.slug, c.name_id) for c in Category.objects.all()]
        for lang in LANGUAGES:
            self.fields[f"title_{lang}"] = forms.CharField(label=_("Title (%(lang)s)") % {"lang": LANGUAGE_LABELS[lang]},
                                                           max_length=200, required=False)
            self.fields[f"body_{lang}"] = forms.CharField(
                label=_("Text (%(lang)s)") % {"lang": LANGUAGE_LABELS[lang]}, required=False, max_length=50_000,
                widget=forms.Textarea(attrs={"rows": 8}),
                help_text=_("## heading, - list item, **bold**, [link](https://...); blank line between paragraphs."))

    def translations(self) -> dict:
        data = self.cleaned_data
        return {lang: {"title": data[f"title_{lang}"], "body": data[f"body_{lang}"]}
                for lang in LANGUAGES if data.get(f"title_{lang}") or data.get(f"body_{lang}")}

    def skus(self) -> list[str]:
        return [s.strip() for s in self.cleaned_data.get("products", "").split(",") if s.strip()]

    def language_fields(self):
        return [(LANGUAGE_LABELS[lang], self[f"title_{lang}"], self[f"body_{lang}"]) for lang in LANGUAGES]
