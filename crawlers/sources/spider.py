"""The generic spider that runs a declarative source definition, and the spider class made for each one."""

from __future__ import annotations

from typing import Any, ClassVar

from crawlers.sources.definition import SourceDefinition
from crawlers.spiders.html_list import HtmlListSpider, ListStart


class DeclarativeSpider(HtmlListSpider):
    """Runs one YAML source definition (list rows, fields, optional detail page, next-page link).

    Fixtures NOT recorded from the live site: the example definition (exempel-kommun, switched off) is tested on
    invented pages (tests/fixtures/sources/declarative/) in the common municipal "pågående upphandlingar" layout.
    Record a real page with ``anbudsvakt crawl source NAME --save-fixtures DIR``.
    Has no ``name`` of its own: :func:`spider_for` makes a named subclass per definition, which the
    spider loader (crawlers.sources.loader) hands to crawlers.run by the definition's name.
    """

    # read by DeclarativeSpider
    definition: ClassVar[SourceDefinition]
    fixtures_recorded_live = False

    def list_starts(self) -> list[ListStart]:
        buyer = self.definition.buyer
        return [ListStart(url, buyer, self.definition.label) for url in self.definition.start_urls]


def spider_for(definition: SourceDefinition) -> type[DeclarativeSpider]:
    """A spider class for one definition: its name, source and label are the definition's."""
    attributes: dict[str, Any] = {
        "name": definition.name,
        "source": definition.name,
        "source_label": definition.label,
        "definition": definition,
        "layout": definition.layout,
        "max_pages": definition.max_pages,
        "terms_url": definition.terms_url,
        "automated_access": definition.automated_access,
        "enabled": definition.enabled,
        "__doc__": DeclarativeSpider.__doc__,
        "__module__": __name__,
    }
    class_name = "".join(part.capitalize() for part in definition.name.replace("-", "_").split("_")) + "Spider"
    return type(class_name, (DeclarativeSpider,), attributes)
