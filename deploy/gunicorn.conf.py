"""gunicorn for eInclusion Office (docs/deploy.md). Everything can be overridden from the
environment, so the same file serves the systemd unit and the container."""

import multiprocessing
import os

# Behind nginx on the same machine: a unix socket (systemd) or a port (compose).
bind = os.environ.get("GUNICORN_BIND", "unix:/run/einclusion/gunicorn.sock")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
# PDFs of a whole call are made by the task worker; a page still may print one agreement.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
max_requests = 2000  # a fresh process now and then keeps memory flat
max_requests_jitter = 200
# nginx sets X-Forwarded-Proto; only the local proxy is trusted to.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# No query strings in the access log (they could carry search terms); URLs never carry PESEL.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
