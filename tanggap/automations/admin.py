from django.contrib import admin

from tanggap.automations.models import AutomationRule, AutomationRun, ProductGuide


@admin.register(AutomationRule)
class AutomationRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "active", "trigger", "delay_minutes", "action")


@admin.register(AutomationRun)
class AutomationRunAdmin(admin.ModelAdmin):
    list_display = ("rule", "customer", "due_at", "status", "result", "ran_at")
    list_filter = ("status", "rule")
    raw_id_fields = ("event", "customer", "ticket")


@admin.register(ProductGuide)
class ProductGuideAdmin(admin.ModelAdmin):
    list_display = ("product", "language", "title", "url")
    raw_id_fields = ("product",)
