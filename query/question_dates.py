"""Dates in a question: the range words are ours ("depuis", "entre ... et", "avant", "les 6 derniers mois",
"l'an dernier"), the date phrase itself goes to dateparser ("12 mars 2024", "12/03/2024", "janvier 2024").

`extract_dates` marks the words it used and returns one DateRange (two date expressions combine: the hull
of two closed periods, otherwise the tighter bounds). A phrase without a year is the latest such period
that has begun by `today`.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Callable

from dateutil.relativedelta import relativedelta

from carnet.errors import InvalidInput
from carnet.models import DateRange
from query import vocabulary as V
from query.question_words import Word, WordView, original_text

_FULL_MONTHS = sorted((m for m in V.MONTHS if m != "may"), key=len, reverse=True)
_ANY_MONTHS = sorted(set(V.MONTHS) | set(V.MONTH_ABBREVIATIONS), key=len, reverse=True)
_MONTH_NUMBER = {**V.MONTH_ABBREVIATIONS, **V.MONTHS}
_FULL = "(?:" + "|".join(_FULL_MONTHS) + ")"
_MON = "(?:" + "|".join(_ANY_MONTHS) + ")"
_DAY = r"(?:1er|premier|[12]?\d(?:st|nd|rd|th)?|3[01](?:st|th)?)"
_YEAR = r"(?:19|20)\d\d"
_NUMDATE = r"(?:\d{1,2}[/.\-](?:19|20)\d\d|\d{1,2}[/.\-]\d{1,2}(?:[/.\-](?:\d{4}|\d{2}))?)"
# One date phrase (no named groups: it is used twice in "entre P et P").
_POINT = (rf"(?:{_DAY} (?:de )?{_MON}(?: {_YEAR})?|{_MON} {_DAY} {_YEAR}|{_MON} (?:de |of )?{_YEAR}"
          rf"|{_NUMDATE}|{_YEAR}|{_FULL})")
_POINT_PARTS = re.compile(
    rf"^(?:(?P<day>{_DAY}) (?:de )?(?P<month>{_MON})(?: (?P<year>{_YEAR}))?"
    rf"|(?P<month2>{_MON}) (?P<day2>{_DAY}) (?P<year2>{_YEAR})"
    rf"|(?P<month3>{_MON}) (?:de |of )?(?P<year3>{_YEAR})"
    rf"|(?P<nd>\d{{1,2}})[/.\-](?P<nm>\d{{1,2}})(?:[/.\-](?P<ny>\d{{4}}|\d{{2}}))?"
    rf"|(?P<year4>{_YEAR})|(?P<month4>{_MON}))$"
)
NUMBER = "(?:\\d{1,3}|" + "|".join(sorted(V.NUMBER_WORDS, key=len, reverse=True)) + "|un|une|one|a)"
_UNIT = "(?:" + "|".join(sorted(V.UNITS, key=len, reverse=True)) + ")"
_ART = r"(?:(?:le|la|les|l|the) )?"


def read_number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    if word in ("un", "une", "one", "a"):
        return 1
    return V.NUMBER_WORDS.get(word)


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


@lru_cache(maxsize=4)
def _date_parser(today: date):
    from dateparser.date import DateDataParser  # imported late: 0.1 s, not needed to import this module

    return DateDataParser(languages=["fr", "en"], settings={
        "DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first",
        "RELATIVE_BASE": datetime(today.year, today.month, today.day)})


@lru_cache(maxsize=4096)
def _dateparser_point(phrase: str, today: date) -> tuple[date, str] | None:
    data = _date_parser(today).get_date_data(phrase)
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


def _point(phrase: str, today: date) -> tuple[date, date] | None:
    """The first and last day a date phrase covers ("mars 2024" -> March 2024); a phrase without a year
    is the latest such period that has begun by `today` ("depuis janvier" in November = this January)."""
    m = _POINT_PARTS.match(phrase)
    if m is None:
        return None
    g = m.groupdict()
    if g["year4"]:
        year = int(g["year4"])
        return date(year, 1, 1), date(year, 12, 31)
    month_word = g["month"] or g["month2"] or g["month3"] or g["month4"]
    day_word = g["day"] or g["day2"]
    year_word = g["year"] or g["year2"] or g["year3"]
    if g["nm"]:  # numeric dd/mm[/yy[yy]] (mm/yyyy is _month_year_numeric's)
        if not (1 <= int(g["nm"]) <= 12 and 1 <= int(g["nd"]) <= 31):
            return None
        has_day = True
        year_word = g["ny"]
    else:
        has_day = day_word is not None
    text = phrase.replace("premier", "1er")
    parsed = _dateparser_point(text, today)
    if parsed is None:
        if g["nm"] is None and month_word:
            parsed = (date(today.year, _MONTH_NUMBER[month_word], 1), "month")
        else:
            return None
    d, period = parsed
    if year_word is None:
        # Without a year: this year's if it has begun, else last year's.
        try:
            d = d.replace(year=today.year)
        except ValueError:  # 29 February
            d = d.replace(year=today.year - 1, day=28)
        begin = d if has_day else d.replace(day=1)
        if begin > today:
            try:
                d = d.replace(year=today.year - 1)
            except ValueError:
                d = d.replace(year=today.year - 1, day=28)
    if has_day and period == "day":
        return d, d
    if period == "year":
        return date(d.year, 1, 1), date(d.year, 12, 31)
    return _month_span(d.year, d.month)


def _month_year_numeric(phrase: str) -> tuple[date, date] | None:
    m = re.fullmatch(r"(\d{1,2})[/.\-]((?:19|20)\d\d)", phrase)
    if m is None or not 1 <= int(m.group(1)) <= 12:
        return None
    return _month_span(int(m.group(2)), int(m.group(1)))


def _any_point(phrase: str, today: date) -> tuple[date, date] | None:
    return _month_year_numeric(phrase) or _point(phrase, today)


def _named_period(words: str, today: date) -> tuple[date, date | None] | None:
    """Calendar periods named by words: "l'an dernier", "ce mois-ci", "last week"..."""
    if re.fullmatch(r"(?:l )?an(?:nee)? (?:dernier|derniere|passe|passee|precedente)|(?:last|previous) year"
                    r"|l annee d avant", words):
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if re.fullmatch(r"(?:cette annee|this year|(?:le )?debut (?:de l|d) ?annee|year to date|ytd|l annee en cours)",
                    words):
        return date(today.year, 1, 1), None
    if re.fullmatch(r"(?:le )?mois (?:dernier|passe|precedent)|(?:last|previous) month", words):
        first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        return _month_span(first.year, first.month)
    if re.fullmatch(r"ce mois(?: ci)?|this month|le mois en cours", words):
        return today.replace(day=1), None
    if re.fullmatch(r"(?:la )?semaine (?:derniere|passee|precedente)|(?:last|previous) week", words):
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)
    if re.fullmatch(r"cette semaine|this week", words):
        return today - timedelta(days=today.weekday()), None
    if re.fullmatch(r"aujourd hui|today", words):
        return today, today
    if re.fullmatch(r"hier|yesterday", words):
        return today - timedelta(days=1), today - timedelta(days=1)
    return None


_NAMED = (r"(?:(?:l )?an(?:nee)? (?:dernier|derniere|passe|passee|precedente)|(?:last|previous) year"
          r"|l annee d avant|cette annee|this year|(?:le )?debut (?:de l|d) ?annee|year to date|ytd|l annee en cours"
          r"|(?:le )?mois (?:dernier|passe|precedent)|(?:last|previous) month|ce mois(?: ci)?|this month"
          r"|le mois en cours|(?:la )?semaine (?:derniere|passee|precedente)|(?:last|previous) week"
          r"|cette semaine|this week|aujourd hui|today|hier|yesterday)")


def _ago(n: int, unit: str, today: date) -> date:
    return today - relativedelta(**{V.UNITS[unit]: n})


_SINCE = r"(?:depuis|since|a partir (?:du|de|d)|from|a compter (?:du|de|d)|starting|des)"
_AFTER = r"(?:apres|after|post|posterieur(?:e)? a|later than)"
_BEFORE = r"(?:avant|before|anterieur(?:e)? a|prior to|earlier than)"
_UNTIL = r"(?:jusqu (?:a|au|en)|until|till|up to|through)"
_BETWEEN_OPEN = r"(?:entre|between|du|de|d|from)"
_BETWEEN_JOIN = r"(?:et|and|au|a|to|until|jusqu au|jusqu a)"
_IN = r"(?:en|in|de|du|pendant|durant|during|courant|of|dated|on|au cours de|datant de|date du)"

DateHandler = Callable[[re.Match, date], "tuple[date | None, date | None] | None"]


def _h_between(m: re.Match, today: date):
    second = _any_point(m.group("p2"), today)
    if second is None:
        return None
    first = _any_point(m.group("p1"), today)
    if first is None:
        return None
    if not re.search(_YEAR, m.group("p1")) and re.search(_YEAR, m.group("p2")):
        # "entre mars et juin 2024": the first date takes the second one's year
        year = second[1].year
        first = tuple(_shift_year(d, year) for d in first)
        if first[0] > second[1]:
            first = tuple(_shift_year(d, year - 1) for d in first)
    elif first[0] > second[1]:
        first = tuple(_shift_year(d, d.year - 1) for d in first)
    return first[0], second[1]


def _h_day_between(m: re.Match, today: date):
    """"du 1er au 15 mars 2024": the first day takes the month and year of the second date."""
    second = _any_point(m.group("p2"), today)
    if second is None or second[0] != second[1]:
        return None
    day = 1 if m.group("d1") in ("1er", "premier") else int(re.match(r"\d+", m.group("d1")).group())
    try:
        first = second[1].replace(day=day)
    except ValueError:
        return None
    return (first, second[1]) if first <= second[1] else None


def _shift_year(d: date, year: int) -> date:
    try:
        return d.replace(year=year)
    except ValueError:
        return d.replace(year=year, day=28)


def _h_year_range(m: re.Match, today: date):
    a, b = int(m.group("y1")), int(m.group("y2"))
    if a > b:
        return None
    return date(a, 1, 1), date(b, 12, 31)


def _h_last_n(m: re.Match, today: date):
    n = read_number(m.groupdict().get("n") or "1")
    if not n:
        return None
    return _ago(n, m.group("unit"), today), None


def _h_more_than_ago(m: re.Match, today: date):
    n = read_number(m.group("n"))
    if not n:
        return None
    return None, _ago(n, m.group("unit"), today)


def _h_named(op: str):
    def handler(m: re.Match, today: date):
        period = _named_period(m.group("named"), today)
        if period is None:
            return None
        start, end = period
        if op == "in":
            return start, end
        if op == "since":
            return start, None
        if op == "after":
            return (end + timedelta(days=1) if end else None), None
        if op == "before":
            return None, start - timedelta(days=1)
        if op == "until":
            return None, end or today
        return None
    return handler


def _h_point(op: str):
    def handler(m: re.Match, today: date):
        span = _any_point(m.group("p1"), today)
        if span is None:
            return None
        start, end = span
        if op == "in":
            return start, end
        if op == "since":
            return start, None
        if op == "after":
            return end + timedelta(days=1), None
        if op == "before":
            return None, start - timedelta(days=1)
        if op == "until":
            return None, end
        return None
    return handler


def phrase_pattern(body: str) -> re.Pattern:
    return re.compile(rf"(?<!\S){body}(?!\S)")


# Tried in this order; the first that matches (anywhere) wins, then the search repeats on what is left.
_DATE_RULES: tuple[tuple[re.Pattern, DateHandler], ...] = (
    (phrase_pattern(rf"(?:{_BETWEEN_OPEN} )?(?P<y1>{_YEAR})[\-/](?P<y2>{_YEAR})"), _h_year_range),
    (phrase_pattern(rf"{_BETWEEN_OPEN} {_ART}(?P<d1>{_DAY}) {_BETWEEN_JOIN} {_ART}(?P<p2>{_POINT})"), _h_day_between),
    (phrase_pattern(rf"{_BETWEEN_OPEN} {_ART}(?P<p1>{_POINT}) {_BETWEEN_JOIN} {_ART}(?P<p2>{_POINT})"), _h_between),
    # "il y a plus de 5 ans", "more than 2 years ago": before
    (phrase_pattern(rf"(?:il y a|y a) plus d(?:e)? (?P<n>{NUMBER}) (?P<unit>{_UNIT})"), _h_more_than_ago),
    (phrase_pattern(rf"(?:more|over) than (?P<n>{NUMBER}) (?P<unit>{_UNIT}) ago"), _h_more_than_ago),
    # "les 6 derniers mois", "depuis 6 mois", "il y a 3 mois", "past 6 months", "3 months ago": since
    (phrase_pattern(rf"(?:(?:depuis|sur|dans|pendant|durant|au cours de|des) )?(?:(?:les|ces) )?(?P<n>{NUMBER}) "
              rf"(?:derniers|dernieres|dernier|derniere) (?P<unit>{_UNIT})"), _h_last_n),
    (phrase_pattern(rf"(?:(?:depuis|sur|dans|pendant|durant|au cours de|des) )?(?:(?:les|ces) )?"
              rf"(?:derniers|dernieres) (?P<n>{NUMBER}) (?P<unit>{_UNIT})"), _h_last_n),
    (phrase_pattern(rf"(?:(?:in|over|during|within|for|from) )?(?:the )?(?:last|past|previous|recent) (?P<n>{NUMBER}) "
              rf"(?P<unit>{_UNIT})"), _h_last_n),
    (phrase_pattern(rf"(?:depuis|since|sur|dans) (?:moins d(?:e)? )?(?P<n>{NUMBER}) (?P<unit>{_UNIT})"), _h_last_n),
    # "past year", "over the past month", "l'année écoulée": a rolling period, not the calendar one
    (phrase_pattern(r"(?:(?:in|over|during|within|for) )?(?:the )?past (?P<unit>year|month|week)"), _h_last_n),
    (phrase_pattern(r"(?:(?:sur|dans|pendant|durant|au cours de) )?(?:l |la )?(?P<unit>annee|an|semaine) ecoulee?"),
     _h_last_n),
    (phrase_pattern(r"(?:(?:sur|dans|pendant|durant|au cours de) )?le (?P<unit>mois) ecoule"), _h_last_n),
    (phrase_pattern(rf"(?:depuis )?(?:il y a|y a) (?:moins d(?:e)? )?(?P<n>{NUMBER}) (?P<unit>{_UNIT})"), _h_last_n),
    (phrase_pattern(rf"(?:(?:within|in) )?(?:less than )?(?P<n>{NUMBER}) (?P<unit>{_UNIT}) ago"), _h_last_n),
    # operator + named period: "depuis l'an dernier", "since last month", "avant cette année"
    (phrase_pattern(rf"{_SINCE} {_ART}(?P<named>{_NAMED})"), _h_named("since")),
    (phrase_pattern(rf"{_AFTER} {_ART}(?P<named>{_NAMED})"), _h_named("after")),
    (phrase_pattern(rf"{_BEFORE} {_ART}(?P<named>{_NAMED})"), _h_named("before")),
    (phrase_pattern(rf"{_UNTIL} {_ART}(?P<named>{_NAMED})"), _h_named("until")),
    # operator + date phrase: "depuis janvier 2024", "avant 2020", "après le 12/03/2024"
    (phrase_pattern(rf"{_SINCE} {_ART}(?P<p1>{_POINT})"), _h_point("since")),
    (phrase_pattern(rf"{_AFTER} {_ART}(?P<p1>{_POINT})"), _h_point("after")),
    (phrase_pattern(rf"{_BEFORE} {_ART}(?P<p1>{_POINT})"), _h_point("before")),
    (phrase_pattern(rf"{_UNTIL} {_ART}(?P<p1>{_POINT})"), _h_point("until")),
    # an abbreviated month after an operator is a month ("depuis janv", "since jan"), never alone ("sept")
    (phrase_pattern(rf"{_SINCE} (?P<p1>{_MON})"), _h_point("since")),
    (phrase_pattern(rf"{_BEFORE} (?P<p1>{_MON})"), _h_point("before")),
    (phrase_pattern(rf"(?:{_IN} )?{_ART}(?P<named>{_NAMED})"), _h_named("in")),
    (phrase_pattern(rf"(?:{_IN} )?{_ART}(?P<p1>{_POINT})"), _h_point("in")),
)


def _combine(a: DateRange, b: DateRange) -> DateRange:
    """Two date expressions in one question: two closed periods give their hull ("2023 et 2024"),
    otherwise the tighter bounds ("depuis 2020 avant 2023")."""
    phrase = f"{a.phrase} ; {b.phrase}"
    if a.start and a.end and b.start and b.end:
        return DateRange(min(a.start, b.start), max(a.end, b.end), phrase)
    starts = [d for d in (a.start, b.start) if d]
    ends = [d for d in (a.end, b.end) if d]
    start, end = (max(starts) if starts else None), (min(ends) if ends else None)
    if start and end and start > end:
        return a
    return DateRange(start, end, phrase)


def extract_dates(question: str, words: list[Word], today: date) -> DateRange | None:
    found: DateRange | None = None
    for _ in range(3):
        view = WordView(words)
        hit = None
        for pattern, handler in _DATE_RULES:
            for m in pattern.finditer(view.text):
                try:
                    result = handler(m, today)
                except (OverflowError, ValueError) as e:  # "hier" from 0001-01-01, "il y a 999 ans" from 0500
                    raise InvalidInput(
                        f"The date « {m.group(0)} » counted from {today.isoformat()} falls outside the calendar "
                        "(years 1 to 9999): give a reference date (today) closer to now.") from e
                if result is not None and (result[0] or result[1]):
                    hit = (m, result)
                    break
            if hit:
                break
        if hit is None:
            break
        m, (start, end) = hit
        span = view.words(m.start(), m.end())
        for i in span:
            words[i].used = True
        current = DateRange(start, end, original_text(question, words, span))
        found = current if found is None else _combine(found, current)
    return found


def warm_up(today: date) -> None:
    """Load dateparser's languages (the first call costs ~0.2 s)."""
    _dateparser_point("12 mars 2024", today)
    _dateparser_point("march 12 2024", today)
