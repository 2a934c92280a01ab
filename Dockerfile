# Self-hosted dashboard: docker build -t syria-map . && docker run -p 8501:8501 syria-map
# Then open http://localhost:8501 (health: http://localhost:8501/_stcore/health).

# The base image of both stages. For builds that are the same every time, pin it by digest. (Not done here: no
# registry could be reached where this file was last edited, and a digest must not be guessed.) To pin it, run
#   docker buildx imagetools inspect python:3.11-slim      (or: docker pull python:3.11-slim, then look for "Digest:")
# and either write the reference below as python:3.11-slim@sha256:<the 64 hex digits of "Digest:">, or build with
#   docker build --build-arg PYTHON_IMAGE=python:3.11-slim@sha256:<digest> -t syria-map .
# The digest of the multi-platform index (the "Digest:" line, not a platform's "Manifest:") fits every platform.
ARG PYTHON_IMAGE=python:3.11-slim

# Stage 1: the map's Leaflet JS/CSS from the npm registry (package-lock.json pins it), never committed.
FROM ${PYTHON_IMAGE} AS assets
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# Stage 2: the app. No Node here: static/vendor/ holds the copied Leaflet files.
FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
# every package pinned: the top level in requirements.txt, all they pull in by constraints.txt
COPY requirements.txt constraints.txt ./
RUN pip install -r requirements.txt -c constraints.txt
COPY . .
COPY --from=assets /build/node_modules /tmp/node_modules
# the project itself, editable (as scripts/setup.sh does): scripts/ import geo from any folder
# a dangling symbolic link in static/ would stop Streamlit as it starts (it sizes the folder): none goes into the image
RUN pip install --no-deps -e . \
    && python scripts/vendor_assets.py --node-modules /tmp/node_modules \
    && rm -rf /tmp/node_modules \
    && find static -xtype l -print -delete \
    && useradd --create-home --uid 10001 app \
    && mkdir -p static/maps && chown app:app static/maps
# static/maps: the dashboard writes its map's page there (once per dataset), so the app user may write it
USER app
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read().strip() == b'ok' else 1)"]
CMD ["streamlit", "run", "streamlit_app.py", "--server.port", "8501", "--server.address", "0.0.0.0"]
