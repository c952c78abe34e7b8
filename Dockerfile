# syntax=docker/dockerfile:1
#
# One image for the web server (gunicorn), the Celery worker and Celery beat; docker-compose.yml picks the
# process with `command:`. See docs/operations.md.
#
#   docker build -t scr-portal .
#
# Stages: `frontend` compiles the GOV.UK Frontend / portal styles into static/build (Node exists only
# there), `python-deps` installs the Python dependencies into a virtualenv, and the final stage copies both
# onto a slim base with WeasyPrint's system libraries and nothing else.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --------------------------------------------------------------------------------------------- frontend
FROM ${PYTHON_IMAGE} AS frontend

RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY static/scss ./static/scss
# Writes static/build/portal.css and static/build/govuk/ (assets + govuk-frontend.min.js).
RUN npm run build

# ----------------------------------------------------------------------------------------- python-deps
FROM ${PYTHON_IMAGE} AS python-deps

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
# Exactly the versions of the lock (requirements/main.txt: the runtime dependencies, every one pinned with
# its hashes; the same versions `make test` ran). The application code itself is not packaged: it runs from
# /app (on PYTHONPATH) in the final stage. Copying only the lock keeps this layer cached until it changes.
COPY requirements/main.txt ./requirements.txt
RUN pip install --no-deps --require-hashes -r requirements.txt

# --------------------------------------------------------------------------------------------- runtime
FROM ${PYTHON_IMAGE} AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=scr_portal.settings.prod \
    MEDIA_ROOT=/var/lib/scr-portal/media \
    XDG_CACHE_HOME=/tmp/.cache

# WeasyPrint's native libraries (PDF rendering) and a font it can always fall back to.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# The unprivileged account every process runs as (numeric ids, so orchestrators can check runAsNonRoot).
RUN groupadd --system --gid 10001 scr \
    && useradd --system --uid 10001 --gid scr --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin scr

COPY --from=python-deps /opt/venv /opt/venv

WORKDIR /app
# Application source (see .dockerignore for what is left out), then the compiled front end.
COPY . .
COPY --from=frontend /src/static/build ./static/build

# collectstatic imports the production settings, which refuse to load without a 50+ character
# SECRET_KEY. The throwaway value below is set for this one command only (it is not an ENV, so it is not in
# the image's environment and nothing signed with it outlives the build); the real key comes from the
# deployment's environment at run time.
RUN SECRET_KEY=build-only-placeholder-for-collectstatic-never-used-at-run-time \
    python manage.py collectstatic --noinput

# Writable places for the unprivileged user: uploaded files (a volume in compose) and the beat schedule
# file. Everything else, including /app and the collected static files, stays root-owned and read-only.
RUN install -d -o scr -g scr -m 0750 /var/lib/scr-portal/media /var/lib/scr-portal/beat

USER 10001:10001

EXPOSE 8000

# Every process starts through the entry point, which checks the database roles (docs/security.md): only
# `manage.py migrate` may have the owner role's DATABASE_OWNER_URL; everything else runs as DATABASE_URL's.
ENTRYPOINT ["/app/docker/entrypoint.sh"]

# Default process: the web server. The worker and beat override this with `command:` in compose.
CMD ["gunicorn", "scr_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--worker-tmp-dir", "/dev/shm", "--access-logfile", "-"]
