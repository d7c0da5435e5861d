from django.contrib import admin

from tanggap.sla.models import BusinessCalendar, ClosedDay, OpenPeriod


class OpenPeriodInline(admin.TabularInline):
    model = OpenPeriod
    extra = 0


class ClosedDayInline(admin.TabularInline):
    model = ClosedDay
    extra = 0


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ("name", "time_zone", "country", "subdivision", "observe_collective_leave")
    inlines = [OpenPeriodInline, ClosedDayInline]
