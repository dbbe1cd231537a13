"""Participation statistics from UHM exports (``participation``) and from award notices (``awards``)."""

from tenders.stats.participation import ParticipationFigures, ParticipationReport, participation_report
from tenders.stats.uhm import UhmExportError

__all__ = ["ParticipationFigures", "ParticipationReport", "UhmExportError", "participation_report"]
