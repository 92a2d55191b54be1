"""One root exception for ORC AI, with specific subclasses whose messages carry ids."""


class OrcAIError(Exception):
    """Root of every error ORC AI raises on purpose."""


class ConfigError(OrcAIError):
    """A setting is missing or invalid; the message says how to fix it."""


class IngestError(OrcAIError):
    """A document could not be read; ``reason`` (a short code) and ``detail`` become a quarantine row."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class ExtractionError(OrcAIError):
    """An extractor produced output that failed validation."""


class TokenBudgetError(ExtractionError):
    """The run's LLM token budget was spent before every chunk was extracted (the answers so far are cached)."""


class EmbeddingError(OrcAIError):
    """An embedding model failed or returned vectors of the wrong shape."""


class GraphStoreError(OrcAIError):
    """The graph store rejected a write or a query."""


class InvalidGraphNameError(GraphStoreError):
    """A label or relationship type failed the allow-list pattern."""


class ToolError(OrcAIError):
    """A tool call was malformed (unknown tool, arguments failing its model) or failed while running."""


class UnknownToolError(ToolError):
    """No tool of that name is registered."""


class ToolArgumentsError(ToolError):
    """Arguments failed the tool's pydantic model; the message lists each field's error."""


class PolicyError(OrcAIError):
    """The policy decision point could not be asked (OPA down, bad answer): the call is denied, never run."""


class ToolUnavailableError(ToolError):
    """The external system a tool needs is not configured (no Airflow URL, no Slack token): recorded as not
    executed, with this message as the reason."""


class WorkflowInputError(OrcAIError):
    """Too many airflow_dag_tasks / airflow_task_runs rows failed validation to trust the workflow graph built."""
