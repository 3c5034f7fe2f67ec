# sync-ai-models: the HTTP function (`serve`) by default; `worker`, `sync`, `migrate` with
# another command. Build: docker build -t sync-ai-models .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# A plain (not editable) install: the migrations and tiktoken's o200k_base/cl100k_base encodings
# are package data, so nothing is read from this folder or downloaded afterwards. The check
# fails the build if an encoding the default rules name cannot be loaded offline.
COPY pyproject.toml README.md ./
COPY shared ./shared
COPY functions ./functions
COPY sql ./sql
RUN pip install ".[server,catalog]" \
 && python -m ai_catalog.tokens --check o200k_base cl100k_base \
 && rm -rf /app/shared /app/functions /app/sql /app/build /app/*.egg-info

RUN useradd --create-home --uid 10001 app
USER app

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status != 200)"

CMD ["sync-ai-models", "serve", "--host", "0.0.0.0", "--port", "8000"]
