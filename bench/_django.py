"""Set up Django for a benchmark script run as `python bench/<name>.py` from the project root."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lebork_einclusion.settings")
    import django

    django.setup()
