"""What a signed-in company sees about itself (the profile schemas join here when profiles/ lands)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class CompanySessionPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"company_id": "42", "email": "info@takservice-mora.se"}]}
    )

    company_id: str
    email: str
