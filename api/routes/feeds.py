"""Feeds per company at secret addresses: Atom and RSS of its matches, iCalendar of its deadlines.

The address IS the credential (feed readers and calendars cannot sign in): a wrong token, another company's
id under this token, or an erased company all answer 404, never 401/403, so probing learns nothing."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response, status

from api.company_data import company_matches, follows
from api.company_deps import ModelsDep, NowDep, OwnCompany, ProfilesDep
from api.deps import IndexDep, SettingsDep, StoreDep
from api.feeds import deadline_calendar, match_feed
from api.schemas.companies import FeedsPublic
from api.security.feed_tokens import company_for_feed_token, feed_token
from profiles.repository import Company, ProfileRepository
from tenders.public_urls import PublicUrls
from tenders.settings import Settings

router = APIRouter(tags=["feeds"])
FEED_HEADERS = {"Cache-Control": "private, max-age=900", "Referrer-Policy": "no-referrer",
                "X-Robots-Tag": "noindex"}


def feed_urls(settings: Settings, company_id: str) -> FeedsPublic:
    base = PublicUrls(settings.base_url).company_feeds(feed_token(settings.secret_key.get_secret_value(), company_id))
    return FeedsPublic(atom=f"{base}/atom.xml", rss=f"{base}/rss.xml", ical=f"{base}/sista-anbudsdagar.ics")


@router.get("/api/companies/{company_id}/feeds", response_model=FeedsPublic,
            responses={404: {"description": "Inget sådant företag – eller inte ert"}})
def my_feeds(company: OwnCompany, settings: SettingsDep) -> FeedsPublic:
    """The company's secret feed addresses."""
    return feed_urls(settings, company.id)


def _company_for(token: str, settings: Settings, profiles: ProfileRepository) -> Company:
    company_id = company_for_feed_token(settings.secret_key.get_secret_value(), token)
    company = profiles.get(company_id) if company_id else None
    if company is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Flödet finns inte")
    return company


@router.get("/api/feeds/{token}/{kind}.xml", responses={200: {"content": {"application/atom+xml": {}}}, 404: {}})
def match_feed_xml(token: str, kind: str, request: Request, settings: SettingsDep, index: IndexDep, store: StoreDep,
                   profiles: ProfilesDep, models: ModelsDep, now: NowDep) -> Response:
    """Atom (``atom.xml``) or RSS 2.0 (``rss.xml``) of the company's matches of the last 90 days."""
    if kind not in ("atom", "rss"):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Flödet finns inte")
    company = _company_for(token, settings, profiles)
    views = company_matches(index, store, profiles, models, company.id, company.profile, now)
    urls = feed_urls(settings, company.id)
    feed = match_feed(company.profile.name, views, settings.base_url, urls.atom if kind == "atom" else urls.rss, now)
    if kind == "atom":
        return Response(feed.atom_str(pretty=True), media_type="application/atom+xml", headers=FEED_HEADERS)
    return Response(feed.rss_str(pretty=True), media_type="application/rss+xml", headers=FEED_HEADERS)


@router.get("/api/feeds/{token}/sista-anbudsdagar.ics", responses={200: {"content": {"text/calendar": {}}}, 404: {}})
def deadlines_ics(token: str, settings: SettingsDep, index: IndexDep, store: StoreDep, profiles: ProfilesDep,
                  models: ModelsDep, now: NowDep) -> Response:
    """The submission deadlines of the company's matched and followed procurements, for a calendar."""
    company = _company_for(token, settings, profiles)
    matches = company_matches(index, store, profiles, models, company.id, company.profile, now)
    calendar = deadline_calendar(company.profile.name, matches, follows(store, profiles, company.id),
                                 settings.base_url, now)
    return Response(calendar.to_ical(), media_type="text/calendar; charset=utf-8", headers=FEED_HEADERS)
