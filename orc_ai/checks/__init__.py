"""Asset checks: blocking data-quality gates, one property each, thresholds in check config."""
