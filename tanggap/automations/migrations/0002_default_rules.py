"""Out of the box: product guides when an order ships, and a check-in three days after delivery."""

from django.db import migrations


def create(apps, schema_editor):
    Rule = apps.get_model("automations", "AutomationRule")
    Rule.objects.get_or_create(name="Panduan produk saat pesanan dikirim",
                               defaults={"trigger": "order_shipped", "action": "send_product_guides"})
    Rule.objects.get_or_create(name="Check-in 3 hari setelah pesanan diterima",
                               defaults={"trigger": "order_delivered", "delay_minutes": 3 * 24 * 60,
                                         "action": "send_checkin"})


class Migration(migrations.Migration):
    dependencies = [("automations", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
