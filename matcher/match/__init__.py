"""Explainable matching of notices to company profiles (pure scoring + an embedded candidate index)."""

from matcher.match.index import CandidateIndex, NoticeMatches
from matcher.match.model import Match, MatchNotice, MatchProfile

__all__ = ["CandidateIndex", "Match", "MatchNotice", "MatchProfile", "NoticeMatches"]
