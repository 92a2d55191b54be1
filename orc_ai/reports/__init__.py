"""Reports on the agent's decisions and the graph: Markdown and HTML with plots, Slack, a downstream table."""
