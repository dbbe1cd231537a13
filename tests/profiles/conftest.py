import pytest

from matcher.sni_tables import SniTables


@pytest.fixture(scope="session")
def shipped_tables() -> SniTables:
    return SniTables.load()
