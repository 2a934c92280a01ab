# Self-hosted dashboard: docker build -t syria-map . && docker run -p 8501:8501 syria-map
# Then open http://localhost:8501 (health: http://localhost:8501/_stcore/health).

# Stage 1: the map's Leaflet JS/CSS from the npm registry (package-lock.json pins it), never committed.
FROM python:3.11-slim AS assets
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# Stage 2: the app. No Node here: static/vendor/ holds the copied Leaflet files.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
COPY --from=assets /build/node_modules /tmp/node_modules
RUN python scripts/vendor_assets.py --node-modules /tmp/node_modules \
    && rm -rf /tmp/node_modules \
    && useradd --create-home --uid 10001 app \
    && mkdir -p static/maps && chown app:app static/maps
# static/maps: the dashboard writes its map's page there (once per dataset), so the app user may write it
USER app
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read().strip() == b'ok' else 1)"]
CMD ["streamlit", "run", "streamlit_app.py", "--server.port", "8501", "--server.address", "0.0.0.0"]
