"""The ECB rates read from the newest row back only as far as a lookup needs (queries/money.py)
give what the currencyconverter package gives when it loads its whole file: the same rate, rate
date and "no rate" for every currency in the file, on working days, weekends, before a
currency's first rate and after the last one, and on days spread over the whole file."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from currency_converter import CurrencyConverter

from crosswalk.queries import money

DAYS = [
    date(1999, 1, 4), date(2008, 9, 13), date(2016, 2, 29), date(2024, 12, 25), date(2026, 10, 30), date(2031, 1, 1)
] + [date(1998, 12, 20) + timedelta(days=n) for n in range(0, 12_000, 53)]  # fmt: skip
# (the last: 53 days apart, each weekday in turn, over the whole file and past its ends)


@pytest.fixture(scope="module")
def whole() -> CurrencyConverter:
    return CurrencyConverter(decimal=True, fallback_on_missing_rate=False, fallback_on_wrong_date=False)


def _reference(c: CurrencyConverter, amount: Decimal, currency: str, on: date) -> money.Converted | None:
    """money.to_eur as it was written against the package's whole-file converter."""
    if currency == "EUR":
        return money.Converted(amount, Decimal(1), on)
    if currency not in c.currencies:
        return None
    first, last = c.bounds[currency]
    day = min(on, last)
    stop = max(first, day - timedelta(days=14))
    while day >= stop:
        try:
            rate = Decimal(str(c.convert(1, "EUR", currency, date=day)))
        except Exception:
            day -= timedelta(days=1)
            continue
        return money.Converted(amount / rate, rate, day)
    return None


def test_every_currency_converts_as_the_whole_file_does(whole: CurrencyConverter) -> None:
    money._RATES.column("USD")  # reads the header
    currencies = sorted({c for c in money._RATES.header[1:]} | set(whole.currencies) | {"EUR", "XXX", ""})
    assert len(currencies) > 30
    money.to_eur.cache_clear()
    for currency in currencies:
        for day in DAYS:
            assert money.to_eur(Decimal(1_000_000), currency, day) == _reference(
                whole, Decimal(1_000_000), currency, day
            ), (currency, day)


def test_last_rate_day_is_the_packages(whole: CurrencyConverter) -> None:
    assert money.last_rate_day() == max(b[1] for b in whole.bounds.values())


def test_a_recent_conversion_reads_only_the_head_of_the_file() -> None:
    rates = money._Rates()
    column = rates.column("USD")
    assert column is not None and rates.last(column) is not None
    rates.cell("2026-10-01", column)
    assert not rates.done and 0 < len(rates.rows) < 100  # of about 7,000 rows
    rates.cell("1999-01-04", column)  # the file's first day: every row
    assert rates.oldest == "1999-01-04" and len(rates.rows) > 7_000
