"""Explainable matching of notices to company profiles (pure scoring + an embedded candidate index)."""

from matcher.match.index import CandidateIndex
from matcher.match.model import Match, MatchNotice, MatchProfile
from matcher.match.result import NoticeMatches

__all__ = ["CandidateIndex", "Match", "MatchNotice", "MatchProfile", "NoticeMatches"]
