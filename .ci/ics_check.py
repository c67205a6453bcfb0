"""Checks Proxi's concertation invitations with PyPI's `icalendar`, a parser Proxi does not use.

Usage: ics_check.py BEFORE.ics AFTER.ics — the invitations to a concertation at 10:00 in Brussels on
Friday 26 March 2027 and on Monday 29 March 2027, on either side of the change to summer time (28 March):
each must parse, hold one event whose start is in Europe/Brussels, and fall at 09:00 UTC before the
change and 08:00 UTC after it. The checker first proves it can fail on a copy with the wrong hour.
"""

import sys
from datetime import datetime, timezone

import icalendar


def start_utc(text):
    cal = icalendar.Calendar.from_ical(text)
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    if len(events) != 1:
        raise ValueError(f"{len(events)} events")
    if not [c for c in cal.walk() if c.name == "VTIMEZONE" and str(c["TZID"]) == "Europe/Brussels"]:
        raise ValueError("no VTIMEZONE for Europe/Brussels")
    start = events[0]["DTSTART"]
    if start.params.get("TZID") != "Europe/Brussels":
        raise ValueError(f"start not in Brussels time: {start.params}")
    return start.dt.astimezone(timezone.utc), events[0]


def main(before_path, after_path):
    before = open(before_path, encoding="utf-8").read()
    after = open(after_path, encoding="utf-8").read()
    wrong = before.replace("T100000", "T110000")
    if start_utc(wrong)[0] == datetime(2027, 3, 26, 9, tzinfo=timezone.utc):
        print("the checker accepted an invitation at the wrong hour", file=sys.stderr)
        return 1
    problems = []
    for path, text, expected in [
        (before_path, before, datetime(2027, 3, 26, 9, tzinfo=timezone.utc)),
        (after_path, after, datetime(2027, 3, 29, 8, tzinfo=timezone.utc)),
    ]:
        got, event = start_utc(text)
        if got != expected:
            problems.append(f"{path}: starts at {got}, not {expected}")
        end = event["DTEND"].dt.astimezone(timezone.utc)
        if (end - got).total_seconds() != 90 * 60:
            problems.append(f"{path}: lasts {end - got}, not 90 minutes")
        if not event.get("ATTENDEE"):
            problems.append(f"{path}: no attendee")
    for p in problems:
        print(p, file=sys.stderr)
    print(f"2 invitations parsed by icalendar {icalendar.__version__}: 09:00 UTC before the change to "
          f"summer time, 08:00 UTC after; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
