"""Things the agent must decide about: questions, failed data-quality checks, Airflow failures, forecast risks."""
