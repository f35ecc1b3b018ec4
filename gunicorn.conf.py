"""Settings gunicorn reads when started from this folder (see the README's operations part)."""

import os

import gunicorn.http.wsgi

# Answer with the service's name, not the server software.
gunicorn.http.wsgi.SERVER = "Information Sharing Training"


def on_starting(server):
    """Refuse several workers with rate-limit counters each would keep to itself."""
    storage = os.environ.get("TRAINER_RATELIMIT_STORAGE_URL", "memory://")
    if server.cfg.workers > 1 and storage.startswith("memory://"):
        raise SystemExit(
            f"{server.cfg.workers} workers would each keep their own sign-in limits: set "
            "TRAINER_RATELIMIT_STORAGE_URL to a shared Redis (redis://127.0.0.1:6379/0), "
            "or run one worker"
        )
