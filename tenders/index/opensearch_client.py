"""The one way to open an OpenSearch client, for the search index and the percolator alike.

Both talk to the same cluster, so they must agree on how it is reached: the same credentials, the same TLS rule
(a development or test cluster may use a self-signed certificate; production verifies the certificate) and the
same wire settings. Before this module each built its own client, and the percolator verified certificates
where the index did not.
"""

from __future__ import annotations

from opensearchpy import OpenSearch

from tenders.settings import Settings

DEFAULT_TIMEOUT_S = 60


def verifies_certificates(settings: Settings) -> bool:
    """Production points at a cluster with a verified certificate; development and test clusters are self-signed."""
    return settings.environment == "production"


def opensearch_client(url: str, *, user: str = "", password: str = "", verify_certs: bool = True,
                      timeout: int = DEFAULT_TIMEOUT_S) -> OpenSearch:
    """A client for the cluster at ``url``; ``verify_certs=False`` only for a self-signed development cluster."""
    auth = (user, password) if user else None
    # ssl_show_warn=False: the unverified case is chosen on purpose (see verifies_certificates), not by accident.
    return OpenSearch(hosts=[url], http_auth=auth, verify_certs=verify_certs, ssl_show_warn=False,
                      timeout=timeout, http_compress=True)


def client_from_settings(settings: Settings, *, timeout: int = DEFAULT_TIMEOUT_S) -> OpenSearch:
    return opensearch_client(settings.opensearch_url, user=settings.opensearch_user,
                             password=settings.opensearch_password.get_secret_value(),
                             verify_certs=verifies_certificates(settings), timeout=timeout)
