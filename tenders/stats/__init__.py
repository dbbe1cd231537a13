"""Participation statistics from UHM exports (``participation``) and from award notices (``awards``)."""

from tenders.stats.awards import AwardReport, award_report
from tenders.stats.participation import ParticipationFigures, ParticipationReport, participation_report
from tenders.stats.uhm import UhmExportError

__all__ = [
    "AwardReport",
    "ParticipationFigures",
    "ParticipationReport",
    "UhmExportError",
    "award_report",
    "participation_report",
]
