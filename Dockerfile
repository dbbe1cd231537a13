# The Anbudsvakt service image (api and scheduler in docker-compose.yml run the same image with different commands).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# Dependencies first, exactly as locked (scripts/lock), so a code change does not reinstall them.
COPY requirements/lock.txt requirements/lock.txt
RUN pip install --require-hashes -r requirements/lock.txt

COPY . .
RUN pip install --no-deps . \
    && useradd --system --uid 10001 --home-dir /app anbudsvakt \
    && mkdir -p /data && chown anbudsvakt /data

USER anbudsvakt
ENV ANBUDSVAKT_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8000
CMD ["anbudsvakt", "serve", "--host", "0.0.0.0", "--port", "8000"]
