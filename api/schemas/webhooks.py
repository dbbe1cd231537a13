"""A company's webhook in the API: register (the secret is in that answer only), read, test."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from alerts.delivery.webhook import MAX_URL_CHARS, SIGNATURE_HEADER, TIMESTAMP_HEADER


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"url": "https://intranat.takservice-mora.se/anbudsvakt"}]})

    url: str = Field(max_length=MAX_URL_CHARS, description="https-adressen som ska ta emot träffarna")


class WebhookPublic(BaseModel):
    url: str
    registered_at: datetime = Field(description="När hemligheten skapades")
    signature_header: str = SIGNATURE_HEADER
    timestamp_header: str = TIMESTAMP_HEADER


class WebhookCreated(WebhookPublic):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "url": "https://intranat.takservice-mora.se/anbudsvakt", "registered_at": "2026-12-05T08:15:00Z",
        "signature_header": SIGNATURE_HEADER, "timestamp_header": TIMESTAMP_HEADER,
        "secret": "whsec_3q2+7w…",
    }]})

    secret: str = Field(description="Hemligheten som signerar leveranserna (HMAC-SHA256). Visas bara i detta svar.")


class WebhookTestPublic(BaseModel):
    delivered: bool
    detail: str = Field(description="Vad som hände, på svenska")
