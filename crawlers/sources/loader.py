"""Scrapy's spider loader, plus one spider per declarative source definition (``definitions/<name>.yaml``).

With it, ``python -m crawlers.run <name>`` (and so the scheduler and ``anbudsvakt crawl source <name>``)
runs a definition like any coded spider, and its crawl runs are recorded under the definition's name.
The setting ``SOURCE_DEFINITIONS_DIR`` names another folder of definitions.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.spiderloader import SpiderLoader

from crawlers.sources.definition import DEFINITIONS_DIR, DefinitionError, load_definition
from crawlers.sources.spider import spider_for

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.settings import BaseSettings


class SourceSpiderLoader(SpiderLoader):
    def __init__(self, settings: BaseSettings):
        super().__init__(settings)
        self.definitions_dir = Path(settings.get("SOURCE_DEFINITIONS_DIR") or DEFINITIONS_DIR)

    def load(self, spider_name: str) -> type[Spider]:
        try:
            return super().load(spider_name)
        except KeyError:
            path = self.definitions_dir / f"{spider_name}.yaml"
            if not path.is_file():
                raise
        definition = load_definition(path)
        if definition.name != spider_name:
            raise DefinitionError(f"{path}: name {definition.name!r} ska vara filens namn {spider_name!r}")
        return spider_for(definition)

    def list(self) -> list[str]:
        return super().list() + sorted(path.stem for path in self.definitions_dir.glob("*.yaml"))
