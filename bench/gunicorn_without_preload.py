"""The project's gunicorn.conf.py without preloading the app: the memory benchmark compares."""

import runpy
from pathlib import Path

globals().update(runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py")))
preload_app = False
