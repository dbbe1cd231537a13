"""Accounts of developers and staff, their API keys, and the company sign-in request."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from api.security.accounts import Role


class MagicLinkRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"email": "info@takservice-mora.se"}]})

    email: str = Field(max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")


class MagicLinkAccepted(BaseModel):
    message: str = "Om adressen hör till ett registrerat företag har vi skickat en inloggningslänk."


class UserCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"email": "anna.berg@mora.se", "name": "Anna Berg", "role": "developer",
                                         "password": "ett-långt-lösenord"}]}
    )

    email: str = Field(max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    name: str = Field(default="", max_length=200)
    role: Role
    password: str = Field(min_length=12, max_length=1000)


class UserPublic(BaseModel):
    id: int
    email: str
    name: str
    role: Role
    active: bool
    created_at: datetime


class UsersPublic(BaseModel):
    data: list[UserPublic]
    count: int


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "Kommunens intranät"}]})

    name: str = Field(default="", max_length=200)


class ApiKeyPublic(BaseModel):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyPublic):
    key: str = Field(description="The key itself, shown only in this answer; send it as 'Authorization: Bearer <key>'")


class ApiKeysPublic(BaseModel):
    data: list[ApiKeyPublic]
    count: int
