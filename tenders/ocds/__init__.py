"""Open Contracting Data Standard (OCDS 1.1) out: the store's notice versions as releases, its current views as
compiled releases, packaged per process, per day, per year or all (see ``mapping`` for the eForms → OCDS choices).
"""

from tenders.ocds.mapping import ocid_for, to_release
from tenders.ocds.packages import record_package, release_package, stream_release_package
from tenders.ocds.read import iter_releases, process_record, process_releases

__all__ = [
    "iter_releases",
    "ocid_for",
    "process_record",
    "process_releases",
    "record_package",
    "release_package",
    "stream_release_package",
    "to_release",
]
