"""Admin screens for alerts: a stream's sensitivity (low / normal / high, or a probability)
and whether it is watched at all; signals and alerts read-only."""

from django.contrib import admin

from tanggap.alerts.models import Alert, Signal, Stream


@admin.register(Stream)
class StreamAdmin(admin.ModelAdmin):
    list_display = ("key", "dimension", "sensitivity", "active", "last_bucket")
    list_filter = ("dimension", "active", "sensitivity")
    list_editable = ("sensitivity", "active")
    search_fields = ("key", "value")
    fields = ("key", "dimension", "value", "sensitivity", "active", "last_bucket", "created_at")
    readonly_fields = ("key", "dimension", "value", "last_bucket", "created_at")

    def has_add_permission(self, request):  # streams appear when something is counted in them
        return False


@admin.register(Signal)
class SignalAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "source", "name", "severity", "value", "summary")
    list_filter = ("severity", "source", "name")
    search_fields = ("external_id", "summary")
    readonly_fields = [f.name for f in Signal._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("bucket", "stream", "signal", "observed", "expected", "p_value", "incident")
    list_filter = ("opens",)
    readonly_fields = [f.name for f in Alert._meta.fields]

    def has_add_permission(self, request):
        return False
