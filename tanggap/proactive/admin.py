"""Playbooks in the Django admin (owner teams, deadlines, wording). Registered here only when the
incidents app has not registered them itself (it loads first)."""

from django.contrib import admin

from tanggap.incidents.models import Notice, Playbook, PlaybookStep


class PlaybookStepInline(admin.TabularInline):
    model = PlaybookStep
    extra = 0
    fields = ("position", "title", "owner_team", "deadline_minutes")


class PlaybookAdmin(admin.ModelAdmin):
    list_display = ("name", "problem_type", "active", "remedy_kind", "remedy_amount")
    list_filter = ("problem_type", "active")
    inlines = [PlaybookStepInline]


class NoticeAdmin(admin.ModelAdmin):
    list_display = ("incident", "customer", "status", "reason", "sent_at")
    list_filter = ("status",)
    raw_id_fields = ("incident", "customer", "order", "ticket", "message")

    def has_add_permission(self, request):
        return False


for model, model_admin in ((Playbook, PlaybookAdmin), (Notice, NoticeAdmin)):
    if not admin.site.is_registered(model):
        admin.site.register(model, model_admin)
