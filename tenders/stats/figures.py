"""The figures the dashboard compares, in one shape whether they come from award notices or UHM exports.

Award notices (eForms) state the SME share of *bids*; Upphandlingsmyndigheten's exports do not, so that figure
is None for UHM. The SME share of winners is, for UHM, the share of contracted tenders won by SMEs.
"""

from __future__ import annotations

from pydantic import BaseModel

from tenders.stats.awards import AwardFigures
from tenders.stats.groups import share
from tenders.stats.participation import ParticipationFigures


class Figures(BaseModel):
    procurements: int
    lots: int  # lots with a known number of tenders
    tenders: int
    avg_tenders_per_lot: float | None
    avg_tenders_per_procurement: float | None
    single_tender_lots: int
    single_tender_lot_share: float | None
    sme_tender_share: float | None  # SME share of bids (award notices only)
    sme_winner_share: float | None
    lots_per_procurement: float | None
    value_sek: float


def from_award(figures: AwardFigures) -> Figures:
    return Figures(
        procurements=figures.procurements,
        lots=figures.lots_with_tender_count,
        tenders=figures.tenders,
        avg_tenders_per_lot=figures.avg_tenders_per_lot,
        avg_tenders_per_procurement=figures.avg_tenders_per_procurement,
        single_tender_lots=figures.single_tender_lots,
        single_tender_lot_share=figures.single_tender_lot_share,
        sme_tender_share=figures.sme_tender_share,
        sme_winner_share=figures.sme_share_of_winners,
        lots_per_procurement=share(figures.lots, figures.procurements),
        value_sek=figures.awarded_value_sek,
    )


def from_uhm(figures: ParticipationFigures) -> Figures:
    return Figures(
        procurements=figures.procurements,
        lots=figures.lots,
        tenders=figures.tenders,
        avg_tenders_per_lot=figures.avg_tenders_per_lot,
        avg_tenders_per_procurement=figures.avg_tenders_per_procurement,
        single_tender_lots=figures.single_tender_lots,
        single_tender_lot_share=figures.single_tender_lot_share,
        sme_tender_share=None,
        sme_winner_share=figures.sme_share_of_contracts,
        lots_per_procurement=share(figures.lots, figures.procurements),
        value_sek=figures.contracted_value_sek,
    )
