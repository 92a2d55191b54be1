"""The policy decision point: every tool call is authorised (OPA, or the same rules in process) before it runs."""
