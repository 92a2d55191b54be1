"""Default settings in one place; Dagster configs and the README refer to these."""

MAX_FILE_BYTES = 5_000_000
CHUNK_MAX_TOKENS = 200
CHUNK_OVERLAP_TOKENS = 32
MAX_ENTITIES_PER_CHUNK = 40
FUZZY_MERGE_THRESHOLD = 92.0
MAX_FAILED_EXTRACTION_RATIO = 0.2
COMMUNITY_ALGORITHM = "leidenalg"  # or "gds": Leiden inside Neo4j
LEIDEN_SEED = 42
LEIDEN_MAX_CLUSTER_SIZE = 12
LEIDEN_MAX_LEVELS = 3
LEIDEN_RESOLUTION = 1.0
NEO4J_BATCH_SIZE = 1000  # rows per write transaction
NEO4J_WRITE_CONCURRENCY = 2  # sessions writing at once (BENCHMARKS.md: best on 2 cores)

# asset-check thresholds
MAX_QUARANTINE_RATIO = 0.25
MIN_ENTITIES_PER_CHUNK = 1.0
MAX_UNRESOLVED_DUPLICATE_RATE = 0.01
NORM_TOLERANCE = 1e-3
MIN_COMMUNITY_COVERAGE = 0.99
MIN_MODULARITY = 0.2

# LLM requests (extraction and community summaries)
LLM_CONCURRENCY = 4  # extraction requests in flight at once
LLM_MAX_TOKENS_PER_RUN: int | None = None  # prompt + completion tokens one run may spend; None: no limit
LLM_MAX_RETRIES = 3  # the openai client's own retries (exponential backoff) on connection errors, 408/429/5xx
LLM_TIMEOUT_S = 600.0  # per request (the openai default); a local server queues requests, so waiting counts
