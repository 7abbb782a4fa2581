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

import re
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


@cache
def _table() -> tuple[list[str], str]:
    """The bundled ECB file as its header's cells and its rows, read once: the rows as one text,
    each stripped, blank ones left out, not split into cells (one currency's column is all an
    analysis needs, and splitting 7,000 rows of 42 rates was most of reading the file)."""
    from zipfile import ZipFile

    from currency_converter import CURRENCY_FILE

    with ZipFile(CURRENCY_FILE) as archive:
        text = b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8")
    lines = text.splitlines()
    header = [cell.strip() for cell in lines[0].strip().split(",")]
    return header, "\n".join(stripped for line in lines[1:] if (stripped := line.strip()))


def _rows() -> list[list[str]]:
    """Every row split into its cells."""
    return [line.split(",") for line in _table()[1].split("\n")]


def _column(i: int) -> list[str]:
    """Cell `i` (i >= 1) of every row after its date, as "date,cell" lines, an empty cell where
    the row is shorter: what splitting each row gives, in one pass of a pattern over the text."""
    pattern = re.compile(r"^([^,\n]*)(?:(?:,[^,\n]*){" + str(i - 1) + r"},([^,\n]*))?", re.M)
    return [f"{day},{cell}" for day, cell in pattern.findall(_table()[1])]


@cache
def _converter(currency: str):  # type: ignore[no-untyped-def]
    """The package's converter loaded with one currency's column only. Loading every currency
    as Decimals took 0.22 s, most of `crosswalk compare`'s own time (issue 18); the package
    reads a one-column table exactly as it reads the whole file, so rates, bounds and missing
    days are the same (tests/test_money.py holds them equal)."""
    from currency_converter import CurrencyConverter

    header, _ = _table()
    if not currency or currency not in header[1:]:
        return None
    column = _column(header.index(currency))
    if all(line.endswith((",", ",N/A")) for line in column):
        return None  # quoted nowhere in the file: the package would not list it either
    c = CurrencyConverter(
        currency_file=None, decimal=True, fallback_on_missing_rate=False, fallback_on_wrong_date=False
    )
    c.load_lines([f"Date,{currency}", *column])
    return c


@lru_cache(maxsize=1024)
def to_eur(amount: Decimal, currency: str, on: date) -> Converted | None:
    """The amount in euros at the last ECB rate published on or before `on` (weekends and
    holidays have none), or None when there is no such rate."""
    if currency == "EUR":
        return Converted(amount, Decimal(1), on)
    c = _converter(currency)
    if c is None or currency not in c.currencies:
        return None
    first, last = c.bounds[currency]
    day = min(on, last)
    stop = max(first, day - timedelta(days=14))  # the ECB publishes every working day
    while day >= stop:
        try:
            rate = Decimal(str(c.convert(1, "EUR", currency, date=day)))
        except Exception:  # the library raises its own RateNotFoundError for a missing day
            day -= timedelta(days=1)
            continue
        return Converted(amount / rate, rate, day)
    return None


@cache
def last_rate_day() -> date:
    """The last day of the bundled rates: a conversion on any later day uses the rates of this
    one, so answers for later dates cannot differ by their money (api/epochs.py relies on it)."""
    from currency_converter.currency_converter import parse_date

    rows = _rows()
    # the last day on which any currency has a rate, as the package's bounds say
    return max(parse_date(row[0]) for row in rows if any(cell not in ("", "N/A") for cell in row[1:]))  # type: ignore[no-any-return]


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
