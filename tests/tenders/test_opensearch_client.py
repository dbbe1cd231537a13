"""One OpenSearch client for the search index and the percolator: the same TLS rule and credentials, on a real node."""

from __future__ import annotations

import base64
import uuid

import pytest
from pydantic import SecretStr

from matcher.percolator import PercolatorMatcher
from matcher.sni_tables import SniTables
from tenders.index.opensearch import OpenSearchIndex
from tenders.index.opensearch_client import client_from_settings
from tenders.settings import Settings

SECRET = "k" * 40  # any environment but development refuses to start without a real secret


@pytest.mark.parametrize(("environment", "required"), [("production", "CERT_REQUIRED"),
                                                       ("development", "CERT_NONE"), ("test", "CERT_NONE")])
def test_only_production_insists_on_a_verified_certificate(environment: str, required: str) -> None:
    settings = Settings(environment=environment, secret_key=SecretStr(SECRET),
                        opensearch_url="https://opensearch.example:9200")
    connection = client_from_settings(settings).transport.get_connection()
    assert connection.pool.cert_reqs == required


def test_index_and_percolator_reach_the_cluster_through_one_client(opensearch_url: str) -> None:
    alias = f"client-{uuid.uuid4().hex[:12]}"
    settings = Settings(opensearch_url=opensearch_url, opensearch_index=alias, opensearch_user="anbudsvakt",
                        opensearch_password=SecretStr("hemligt"))
    basic = "Basic " + base64.b64encode(b"anbudsvakt:hemligt").decode("ascii")
    index = OpenSearchIndex.from_settings(settings)
    percolator = PercolatorMatcher.from_settings(settings, SniTables.load())
    try:
        # The security plugin is off on the test node, so it does not check the credentials; what matters is that
        # both users of the cluster send the same ones over the same kind of connection.
        for client in (index._client, percolator._client):
            connection = client.transport.get_connection()
            assert (connection.host, connection.headers["authorization"]) == (opensearch_url.rstrip("/"), basic)
            assert connection.http_compress
            assert client.ping()
        assert index.count() == 0
    finally:
        index.drop()
