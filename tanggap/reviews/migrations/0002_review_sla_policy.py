"""The short SLA for negative reviews: a policy for high-priority tickets on the marketplace
channel, ahead of "Standar", with a first response within one working hour. An ordinary SLA
policy: managers change it in Settings → SLA policies like any other."""

from django.db import migrations

POLICY = "Ulasan negatif"


def create(apps, schema_editor):
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    if SlaPolicy.objects.filter(name=POLICY).exists():
        return
    calendar = BusinessCalendar.objects.filter(name="Jam kerja Jakarta").order_by("id").first()
    SlaPolicy.objects.create(
        name=POLICY, position=20, priorities=["high"], channels=["marketplace"], calendar=calendar,
        first_response_minutes=60, next_response_minutes=4 * 60, resolution_minutes=8 * 60,
        update_interval_minutes=None, warn_before_minutes=15, acknowledge=False,
    )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial"), ("sla", "0003_default_policies")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
