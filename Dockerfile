# The application image used by compose.yaml (web and worker run the same image).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# WeasyPrint needs Pango; msgfmt compiles the translations; pg_dump/pg_restore for backups.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 gettext postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /srv/einclusion einclusion

WORKDIR /srv/einclusion/app
COPY requirements.lock .
RUN pip install -r requirements.lock
COPY . .
RUN DJANGO_SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
        python manage.py compilemessages --ignore=.venv -v 0 \
    && mkdir -p /srv/einclusion/static /srv/einclusion/media /srv/einclusion/backups \
    && chown -R einclusion:einclusion /srv/einclusion

USER einclusion
ENV DJANGO_PRODUCTION=1 DJANGO_STATIC_ROOT=/srv/einclusion/static DJANGO_MEDIA_ROOT=/srv/einclusion/media \
    EINCLUSION_BACKUP_DIR=/srv/einclusion/backups GUNICORN_BIND=0.0.0.0:8000
EXPOSE 8000
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "lebork_einclusion.wsgi:application"]
