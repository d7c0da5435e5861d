"""A fresh install starts with a working-hours calendar for Jakarta and two policies, so
every ticket has clocks and a promise from the first day. Managers change them in Settings."""

import datetime as dt

from django.db import migrations


def create(apps, schema_editor):
    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    OpenPeriod = apps.get_model("sla", "OpenPeriod")
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    if SlaPolicy.objects.exists() or BusinessCalendar.objects.exists():
        return
    calendar = BusinessCalendar.objects.create(name="Jam kerja Jakarta", time_zone="Asia/Jakarta", country="ID")
    for weekday in range(5):  # Monday-Friday 08:00-12:00 and 13:00-17:00, lunch between
        OpenPeriod.objects.create(calendar=calendar, weekday=weekday, opens_at=dt.time(8), closes_at=dt.time(12))
        OpenPeriod.objects.create(calendar=calendar, weekday=weekday, opens_at=dt.time(13), closes_at=dt.time(17))
    OpenPeriod.objects.create(calendar=calendar, weekday=5, opens_at=dt.time(8), closes_at=dt.time(12))
    SlaPolicy.objects.create(
        name="Mendesak", position=10, priorities=["urgent"], calendar=None,
        first_response_minutes=60, next_response_minutes=120, resolution_minutes=8 * 60,
        update_interval_minutes=2 * 60, warn_before_minutes=30, acknowledge=True,
    )
    SlaPolicy.objects.create(
        name="Standar", position=100, calendar=calendar,
        first_response_minutes=4 * 60, next_response_minutes=8 * 60, resolution_minutes=24 * 60,
        update_interval_minutes=8 * 60, warn_before_minutes=60, acknowledge=False,
    )


class Migration(migrations.Migration):
    dependencies = [("sla", "0002_slapolicy_slatarget_slabreach_ticketsla_and_more")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
