import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanggap.settings")
application = get_wsgi_application()

# POST /api/v1/messages with Prefer: respond-async, answered ahead of Django's middleware
# (tanggap/api/fastpath.py; TANGGAP_INTAKE_FASTPATH=0 turns it off).
from tanggap.api.fastpath import IntakeFastPath  # noqa: E402

application = IntakeFastPath(application)
