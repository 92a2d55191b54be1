"""Log template mining: header stripping, variable masking, clustering of messages and failure categories."""

from orc_ai.logs.failures import FailureClusters, cluster_failures, failure_log_clusters
from orc_ai.logs.miner import DEFAULT_PARAMS, MinerParams, cluster_messages
from orc_ai.logs.models import LogClusters

__all__ = ["DEFAULT_PARAMS", "FailureClusters", "LogClusters", "MinerParams", "cluster_failures",
           "cluster_messages", "failure_log_clusters"]
