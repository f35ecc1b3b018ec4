"""Settings gunicorn reads when started from this folder (see the README's operations part)."""

import gc
import os

import gunicorn.http.wsgi

# Load the app, its content and its templates once, in the master process, and fork the
# workers from it: they share that memory instead of each holding a copy, and start at once.
preload_app = True

# Threads let a worker answer other requests while one waits on the database, and keep
# connections open between requests. Set the number of workers on the command line.
worker_class = "gthread"
threads = 8
# Long enough that a busy worker does not close a kept-alive connection just as the next
# request on it arrives (the client would see the connection reset).
keepalive = 5

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


def pre_fork(server, worker):
    """Keep what the master loaded out of the workers' garbage collection: collecting would
    write to every shared object and so copy the memory the workers share."""
    gc.freeze()
