# The ORC AI user-code image for helm-values.yaml: every dependency from requirements.lock (the versions CI
# tested), then the project itself without resolving anything again.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/orc_ai
COPY requirements.lock ./
RUN pip install --no-deps -r requirements.lock
COPY pyproject.toml README.md ./
COPY orc_ai ./orc_ai
COPY airflow_bridge ./airflow_bridge
RUN pip install --no-deps . && python -c "import orc_ai.definitions"
EXPOSE 3030
CMD ["dagster", "api", "grpc", "-h", "0.0.0.0", "-p", "3030", "-m", "orc_ai.definitions"]
