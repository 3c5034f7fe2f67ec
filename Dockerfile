# sync-ai-models: the HTTP function (`serve`) by default; `worker`, `sync`, `migrate` with
# another command. Build: docker build -t sync-ai-models .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # tiktoken reads its encodings from here; they are fetched once, at build time
    TIKTOKEN_CACHE_DIR=/opt/tiktoken \
    # the migrations, for `sync-ai-models migrate` (the package is installed, not run from here)
    SYNC_AI_MODELS_SQL_DIR=/app/sql

WORKDIR /app

# dependencies first, so that a code change does not reinstall them
COPY pyproject.toml README.md ./
COPY shared ./shared
COPY functions ./functions
COPY sql ./sql
RUN pip install ".[catalog]" \
 && python -m ai_catalog.tokens \
 && python -m ai_catalog.tokens --check

RUN useradd --create-home --uid 10001 app
USER app

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status != 200)"

CMD ["sync-ai-models", "serve", "--host", "0.0.0.0", "--port", "8000"]
