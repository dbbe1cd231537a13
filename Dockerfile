# The Anbudsvakt service image (api and scheduler in docker-compose.yml run the same image with different commands).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# Dependencies first (pinned in pyproject.toml), so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; open('/tmp/requirements.txt', 'w').write('\n'.join(deps))" \
    && pip install -r /tmp/requirements.txt

COPY . .
RUN pip install --no-deps . \
    && useradd --system --uid 10001 --home-dir /app anbudsvakt \
    && mkdir -p /data && chown anbudsvakt /data

USER anbudsvakt
ENV ANBUDSVAKT_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8000
CMD ["anbudsvakt", "serve", "--host", "0.0.0.0", "--port", "8000"]
