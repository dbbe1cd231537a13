"""Reading Upphandlingsmyndigheten's statistics exports ("UHM exports") row by row.

A UHM export directory holds four CSV files, each plain or gzipped, with the agency's own Swedish column
names: ``procurements``, ``tenders_per_lot``, ``contracted_value`` and ``contracted_suppliers``. The files are
pivot-table exports: every row is one combination of dimension columns with a summed measure in the last
column (``Antal anbud, Summa`` …). Two rows that agree on every column therefore cannot both be real — the
reader drops such exact repeats (e.g. two downloads concatenated) and counts them.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO, TypeVar

from tenders.stats.groups import MISSING_CPV_DIVISION, Dimensions

_Parsed = TypeVar("_Parsed", int, float)

# The four exports, in the order a report reads them.
PROCUREMENTS = "procurements"
TENDERS_PER_LOT = "tenders_per_lot"
CONTRACTED_VALUE = "contracted_value"
CONTRACTED_SUPPLIERS = "contracted_suppliers"
EXPORT_NAMES = (PROCUREMENTS, TENDERS_PER_LOT, CONTRACTED_VALUE, CONTRACTED_SUPPLIERS)

# Columns shared by every export.
YEAR = "År"
BUYER_NAME = "Namn för köpare"
BUYER_ORGNR = "Organisationsnummer för köpare"
CPV_DIVISION_TEXT = "CPV-Huvudgrupp"  # "79000000 Företagstjänster: …": the division with its label
MAIN_CPV = "Huvudsaklig CPV-kod"  # "79624000 Förmedling av vårdpersonal"; "00000000 Uppgift saknas" if missing
PROCUREMENT_ID = "Upphandlings-ID"
# Columns of the procurements export that say where and under what name each procurement was advertised.
NOTICE_DATABASE = "Annonsdatabas"  # "e-Avrop", "Mercell Annonsdatabas", "KommersAnnons.se", ...
TITLE = "Upphandlingens titel"
# Columns of one export each.
LOT_ID = "Anbudsområdes-ID"
TENDERS = "Antal anbud, Summa"
CONTRACTED_VALUE_SEK = "Kontrakterat värde, Summa"
SUPPLIER_SIZE = "Företagsstorlek för leverantör"
SUPPLIER_NAME = "Namn för leverantör"
SUPPLIER_SNI = "SNI-Detaljgrupp för leverantör"  # "2200 Avverkningsföretag": the export drops the leading zero
PUBLISHED = "Publiceringsdatum"
HAS_LOTS = "Anbudsområden"
CONTRACTED_TENDERS = "Antal kontrakterade anbud*, Summa"

COMMON_COLUMNS = (YEAR, BUYER_NAME, BUYER_ORGNR, MAIN_CPV, PROCUREMENT_ID)
MISSING_VALUE = "Uppgift saknas"

_GZIP_MAGIC = b"\x1f\x8b"
_DELIMITERS = (",", ";", "\t")
# Spaces used as thousands separators: ordinary, no-break and narrow no-break (Swedish number formatting).
_NUMBER_SPACES = str.maketrans("", "", " \u00a0\u202f\t")
_BLANK_NUMBERS = {"", "-", "nan", "null", "none"}


class UhmExportError(ValueError):
    """A UHM export that cannot be read; ``str(err)`` is one line naming the file."""


def find_export(uhm_dir: Path, name: str) -> Path:
    """``DIR/name.csv`` or ``DIR/name.csv.gz``, whichever exists."""
    for candidate in (uhm_dir / f"{name}.csv", uhm_dir / f"{name}.csv.gz"):
        if candidate.is_file():
            return candidate
    raise UhmExportError(f"UHM-export saknas: {uhm_dir / name}.csv (eller .csv.gz)")


def parse_number(text: str) -> float | None:
    """'1 234' → 1234.0, '1.0' → 1.0, '12,5' → 12.5, '' → None; anything else raises ValueError."""
    cleaned = text.strip().translate(_NUMBER_SPACES)
    if cleaned.casefold() in _BLANK_NUMBERS:
        return None
    if "," in cleaned:
        # With a dot present the comma can only group thousands ("1,234.5"); alone it is a Swedish decimal comma.
        cleaned = cleaned.replace(",", "") if "." in cleaned else cleaned.replace(",", ".")
    number = float(cleaned)
    if not math.isfinite(number):
        raise ValueError(f"not a finite number: {text!r}")
    return number


def parse_count(text: str) -> int | None:
    """A count such as ``Antal anbud``: a whole, non-negative number or blank."""
    number = parse_number(text)
    if number is None:
        return None
    if number < 0 or not number.is_integer():
        raise ValueError(f"not a whole count: {text!r}")
    return int(number)


def cpv_division(main_cpv: str) -> str:
    """First two digits of the code that starts ``Huvudsaklig CPV-kod``; '00' when missing or malformed."""
    code = main_cpv.strip().split(" ", 1)[0].split("-", 1)[0]
    if re.fullmatch(r"\d{8}", code):
        return code[:2]
    return MISSING_CPV_DIVISION


def normalise_buyer_orgnr(text: str) -> str:
    """'212000-2742' → '2120002742'; foreign numbers (Åland's '0205034-3') stay as given."""
    compact = re.sub(r"[\s-]", "", text)
    return compact if re.fullmatch(r"\d{10}", compact) else text.strip()


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One data row of an export, with the file and line it came from for error messages."""

    file: str
    line: int
    values: dict[str, str]

    def text(self, column: str) -> str:
        value = (self.values.get(column) or "").strip()
        # The service writes "Uppgift saknas" (information missing) where the cleaned exports have a blank.
        return "" if value == MISSING_VALUE else value

    def number(self, column: str) -> float | None:
        return self._parsed(column, parse_number)

    def count(self, column: str) -> int | None:
        return self._parsed(column, parse_count)

    def _parsed(self, column: str, parse: Callable[[str], _Parsed | None]) -> _Parsed | None:
        try:
            return parse(self.text(column))
        except ValueError:
            raise UhmExportError(
                f"{self.file} rad {self.line}: kolumnen {column!r} har ett ogiltigt tal: {self.text(column)!r}"
            ) from None

    @property
    def procurement_id(self) -> str:
        return self.text(PROCUREMENT_ID)

    @property
    def year(self) -> str:
        return self.text(YEAR).split(".", 1)[0]  # "2021.0" from an export that went through a float column

    @property
    def buyer_orgnr(self) -> str:
        return normalise_buyer_orgnr(self.text(BUYER_ORGNR))

    @property
    def buyer_name(self) -> str:
        return self.text(BUYER_NAME)

    @property
    def notice_database(self) -> str:
        return self.text(NOTICE_DATABASE)

    @property
    def title(self) -> str:
        return self.text(TITLE)

    @property
    def cpv_division(self) -> str:
        return cpv_division(self.text(MAIN_CPV))

    def dimensions(self) -> Dimensions:
        return Dimensions(self.buyer_orgnr, self.buyer_name, self.cpv_division, self.year, self.cpv_division_label)

    @property
    def cpv_division_label(self) -> str:
        """The division's Swedish label as the export writes it in ``CPV-Huvudgrupp``."""
        code, _, label = self.text(CPV_DIVISION_TEXT).partition(" ")
        return label.strip() if code[:2] == self.cpv_division else ""


class ExportFile:
    """Iterates the rows of one export; afterwards ``rows`` and ``duplicate_rows`` say what was read."""

    def __init__(self, path: Path, required_columns: Sequence[str]) -> None:
        self.path = path
        self.required_columns = tuple(required_columns)
        self.rows = 0
        self.duplicate_rows = 0

    @classmethod
    def in_dir(cls, uhm_dir: Path, name: str, required_columns: Sequence[str]) -> ExportFile:
        return cls(find_export(uhm_dir, name), required_columns)

    def __iter__(self) -> Iterator[ExportRow]:
        # 16-byte digests rather than the rows themselves: memory stays small on multi-year exports.
        seen: set[bytes] = set()
        try:
            with _open_text(self.path) as handle:
                reader = self._reader(handle)
                for record in reader:
                    row_key = hashlib.blake2b("\x1f".join(record.values()).encode(), digest_size=16).digest()
                    if row_key in seen:
                        self.duplicate_rows += 1
                        continue
                    seen.add(row_key)
                    self.rows += 1
                    # +1: the header line was read before the csv reader started counting.
                    yield ExportRow(self.path.name, reader.line_num + 1, record)
        except (UnicodeDecodeError, gzip.BadGzipFile, EOFError, csv.Error) as error:
            raise UhmExportError(f"{self.path}: kan inte läsas som UTF-8-CSV ({type(error).__name__})") from None

    def _reader(self, handle: TextIO) -> csv.DictReader[str]:
        header_line = handle.readline()
        delimiter = max(_DELIMITERS, key=header_line.count)
        lines: Iterable[str] = handle
        if delimiter == ";":
            # The statistics service's own CSV separates fields with ";" and list items inside a cell with "; ",
            # unquoted; only the latter has a space after it (okfse/oppna-upphandlingsdata cleans it the same way).
            header_line = header_line.replace("; ", ", ")
            lines = (line.replace("; ", ", ") for line in handle)
        header = [name.strip() for name in next(csv.reader([header_line], delimiter=delimiter), [])]
        missing = [column for column in self.required_columns if column not in header]
        if missing:
            raise UhmExportError(f"{self.path}: kolumn saknas: {', '.join(repr(c) for c in missing)}")
        # restval: a short row reads as blanks rather than shifting columns.
        return csv.DictReader(lines, fieldnames=header, delimiter=delimiter, restval="")


def _open_text(path: Path) -> TextIO:
    """Open plain or gzipped CSV by its first bytes, not its name; utf-8-sig drops a byte-order mark."""
    with path.open("rb") as probe:
        gzipped = probe.read(2) == _GZIP_MAGIC
    if gzipped:
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")
