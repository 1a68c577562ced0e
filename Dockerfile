# crmbot: python-telegram-bot + SQLite (default) or PostgreSQL (DATABASE_URL).
FROM python:3.12-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN useradd --create-home --uid 10001 crmbot
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY models ./models
COPY reminders ./reminders
# tgemu/ (the emulator behind crmbot demo/chat and the tests) is not the product: left out.
RUN pip install . && mkdir -p /app/data && chown crmbot /app/data
USER crmbot
# The SQLite default lives here; mount a volume to keep it.
VOLUME ["/app/data"]
EXPOSE 8443
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import os,sys,urllib.request; \
  p=os.environ.get('CRMBOT_WEBHOOK_LISTEN','0.0.0.0:8443').rsplit(':',1)[1]; \
  sys.exit(0) if os.environ.get('CRMBOT_WEBHOOK_URL') is None else \
  urllib.request.urlopen(f'http://127.0.0.1:{p}/healthz', timeout=2)"
ENTRYPOINT ["crmbot"]
CMD ["run"]
