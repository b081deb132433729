"""The legal clocks of the OPP (domain-research.md §1), in one place for the model, the services,
the due list and the pages.

- The OPP is set within six weeks after the trigger (enrolment, start of extra support or
  definitive placement): day 42 after the trigger is still in time, day 43 is late. Setting late
  is allowed but flagged (``DevelopmentPlan.set_late``).
- It is evaluated at least once a year: the next evaluation is due exactly twelve months after
  the setting or after the latest evaluation. Twelve months after 29 February is 28 February of
  the next year, not 1 March: the earlier day keeps "at least once a year" true.
"""

from __future__ import annotations

import datetime

#: The OPP is set at the latest on this day after the trigger date.
SET_WITHIN_DAYS = 42


def set_deadline(trigger_date: datetime.date) -> datetime.date:
    """The last day on which setting the OPP is in time."""
    return trigger_date + datetime.timedelta(days=SET_WITHIN_DAYS)


def days_after(trigger_date: datetime.date, day: datetime.date) -> int:
    """Which day after the trigger ``day`` is (the trigger date itself is day 0)."""
    return (day - trigger_date).days


def is_set_late(trigger_date: datetime.date, set_on: datetime.date) -> bool:
    return days_after(trigger_date, set_on) > SET_WITHIN_DAYS


def one_year_after(day: datetime.date) -> datetime.date:
    """The same day twelve months later; 29 February gives 28 February (see above)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)
