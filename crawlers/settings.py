"""Scrapy settings of the Anbudsvakt crawlers. Only values that differ from Scrapy's defaults, each with why.

The User-Agent, the TED API address and the store/index come from :class:`tenders.settings.Settings`
at run time (``crawlers.run`` puts them in), never read here: nothing is read at import time.
A single crawl can override any value: ``python -m crawlers.run ted -s LOG_LEVEL=INFO``.
"""

# Names the project in logs and in Scrapy's stats.
BOT_NAME = "anbudsvakt"
# The project's User-Agent (from tenders.settings) also for `scrapy crawl NAME`, read when a crawl starts.
ADDONS = {"crawlers.addon.ProjectSettings": 0}

# Where the spider loader (crawlers.run, the spider smoke test) finds spiders by name.
SPIDER_MODULES = ["crawlers.spiders"]
# ...and one spider per declarative source (crawlers/sources/definitions/<name>.yaml), by its name.
SPIDER_LOADER_CLASS = "crawlers.sources.loader.SourceSpiderLoader"

# The Swedish notice databases and buyers' pages are web sites: their robots.txt is obeyed. The TED
# spider turns this off for itself (see its custom_settings): it talks to TED's published API.
ROBOTSTXT_OBEY = True

# Politeness: AutoThrottle adapts the delay to the server's latency instead of a fixed rate.
AUTOTHROTTLE_ENABLED = True
# TED answers in well under a second; Scrapy's 5 s start delay would make a 300-notice run take 25 minutes.
AUTOTHROTTLE_START_DELAY = 1.0
# Never hammer one host with parallel requests: two in flight is enough for a daily incremental run.
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# At least half a second between requests to one host, whatever AutoThrottle concludes.
DOWNLOAD_DELAY = 0.5

# Scrapy's RetryMiddleware retries at once; ours (same settings) waits with exponential back-off,
# honours Retry-After and retries the TED XML host's WAF challenge (HTTP 202, x-amzn-waf-action).
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.BackoffRetryMiddleware": 550,
}
# WAF challenges and 429s usually clear after a few back-offs (2+4+8+16 s); Scrapy's default gives up after 2.
RETRY_TIMES = 4
# Our own keys, read by BackoffRetryMiddleware: first wait, longest wait, longest Retry-After honoured.
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 60.0
RETRY_AFTER_MAX = 300.0

# A notice is one request; three minutes (Scrapy's default) only delays noticing that TED is down.
DOWNLOAD_TIMEOUT = 60
# Without network the one-line "TED är inte nåbar" should come within seconds, not after 60 s per try.
DNS_TIMEOUT = 10
# eForms notices are tens to hundreds of kB; refuse absurd bodies before the parser's own size cap.
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024

# validate → normalise/parse → classify → store/index; the numbers fix that order.
ITEM_PIPELINES = {
    "crawlers.pipelines.ValidateDocumentPipeline": 100,
    "crawlers.pipelines.ParseNoticePipeline": 200,
    "crawlers.pipelines.ClassifyPipeline": 300,
    "crawlers.pipelines.StorePipeline": 400,
}
# The classification step's callable (Tender -> Tender): sector and size by the trained NLP model.
# Tests of the pipeline mechanics may set crawlers.pipelines.keep_classification, a no-op.
CLASSIFY_HOOK = "nlp.annotate.classify_for_crawl"
# The application layer's use case that stores and indexes a notice (app.ingest); named, not imported, because
# the crawlers sit below the application layer.
INGEST_HOOK = "app.ingest.ingest"

# The run's result is the crawl-run record and one summary line; Scrapy's INFO stats dumps drown it in a
# scheduled job's log. Warnings (a refused notice, a retry given up) still show.
LOG_LEVEL = "WARNING"
# A scheduled job must not open a listening port (the telnet console) on the server.
TELNETCONSOLE_ENABLED = False
# Nor the remote-control HTTP endpoint Scrapy 2.19 starts by default: a crawl is controlled by its process.
REMOTE_CONTROL_ENABLED = False
