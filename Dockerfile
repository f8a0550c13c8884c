# DoodleAI game server image: the web client built in a Node stage, served by the Python server.
#   docker build -t doodleai .
#   docker run -p 8080:8080 doodleai                                  # one process, in-memory store
#   docker run -p 8080:8080 -e REDIS_URL=redis://redis:6379/0 doodleai # one of many, rooms in Redis
# docker-compose.yml runs Redis, two replicas of this image and nginx in front (see docs/scaling.md).

# -- stage 1: the browser bundle (web_client/dist) ----------------------------------------------------
FROM node:20-slim AS client
WORKDIR /src/web_client
COPY web_client/package.json web_client/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web_client/ ./
RUN npm run build

# -- stage 2: the server ------------------------------------------------------------------------------
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
# Dependencies first (cached while only the code changes). The server needs no torch: `.` without
# the [training] extra installs aiohttp, python-socketio, redis, numpy and onnxruntime only; the image
# holds game_server/ and doodle_raster/ (the rasterizer), not training/.
COPY pyproject.toml README.md ./
COPY game_server/ game_server/
COPY doodle_raster/ doodle_raster/
RUN pip install . && useradd --system --uid 10001 --home-dir /app doodle
COPY models/ models/
COPY --from=client /src/web_client/dist/ web_client/dist/

USER doodle
ENV DOODLEAI_HOST=0.0.0.0 \
    DOODLEAI_PORT=8080 \
    DOODLEAI_STATIC_DIR=/app/web_client/dist \
    DOODLEAI_MODELS_DIR=/app/models
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=2).status != 200)"
# Exec form: the server is PID 1 and gets SIGTERM from `docker stop` (it shuts down cleanly).
CMD ["python", "-m", "game_server"]
