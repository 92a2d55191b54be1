"""MLflow tracking and model registry through ``MlflowClient`` with explicit run ids (no fluent global run)."""
