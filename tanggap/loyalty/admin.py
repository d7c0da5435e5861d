"""Admin screens for the loyalty programme (admins only, /admin/): tiers, earning rules, rewards
and vouchers are edited here; the ledger, balances and draws are read-only (points move only
through loyalty.services, which keeps the balance row in step with the ledger)."""

from django.contrib import admin

from tanggap.loyalty.models import Account, Draw, EarnRule, LedgerEntry, Reward, Tier, Voucher


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ("code", "name_id", "name_ms", "name_en", "threshold", "multiplier_percent")


@admin.register(EarnRule)
class EarnRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "currency", "points", "per_amount", "active")
    list_editable = ("points", "per_amount", "active")


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    list_display = ("code", "name_id", "cost_points", "discount_amount", "currency", "min_tier", "active")
    list_filter = ("active", "min_tier")


@admin.register(Voucher)
class VoucherAdmin(admin.ModelAdmin):
    list_display = ("code", "description", "discount_amount", "discount_percent", "uses", "max_uses", "per_customer",
                    "valid_from", "valid_until", "active")
    search_fields = ("code",)
    readonly_fields = ("uses", "customer", "reward", "remedy", "created_at")

    def save_model(self, request, obj, form, change):
        obj.code = obj.code.strip().upper()  # codes are matched upper-cased
        super().save_model(request, obj, form, change)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnly):
    list_display = ("created_at", "customer", "kind", "delta", "balance_after", "note")
    list_filter = ("kind",)
    raw_id_fields = ("customer", "journey_event")
    search_fields = ("source_key",)


@admin.register(Account)
class AccountAdmin(ReadOnly):
    list_display = ("customer", "balance", "tier", "joined_at")
    list_filter = ("tier",)


@admin.register(Draw)
class DrawAdmin(ReadOnly):
    list_display = ("name_id", "period_start", "period_end", "basis", "winners_count", "status", "drawn_at")
