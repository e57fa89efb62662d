"""Every numeric bound of the scenario's fields and files, stated once.

The schema's fields (:mod:`.schema`) and the loader's cell parsers read the
same constants, so a bound cannot differ between the two. The loader's own
caps (file sizes, rows, far-off dates, absurd capacities) refuse inputs
beyond sane sizes with a sentence rather than by running out of memory; a
scenario built in Python is held only to the fields' bounds.
"""

from __future__ import annotations

import datetime as dt

from ..clock import MINUTES_PER_DAY

# Fields of the data model (enforced by the schema and by the loader).
MIN_DURATION_MIN = 1
MAX_DURATION_MIN = MINUTES_PER_DAY
MAX_CLOCK_MIN = MINUTES_PER_DAY  # an end time may be 24:00; a start is before it
MAX_TURNOVER_MIN = MINUTES_PER_DAY
MAX_OVERTIME_MIN = 720  # a session may run over by up to half a day
MAX_RESERVE_MIN = MINUTES_PER_DAY
MAX_STAY_DAYS = 365  # a length of stay in ICU or on the ward
MAX_EXTRA_COST = 1e6  # an extra session's cost, an overtime minute's cost

# The loader's caps on what files may say.
MAX_FILE_BYTES = 100 * 1024 * 1024  # a 500,000-case list is about 50 MB
MAX_POLICY_BYTES = 1024 * 1024
MAX_ROWS = 500_000
MAX_HORIZON_DAYS = 400
MAX_CAPACITY = 100_000
MAX_DELAY_DAYS = 3650
MAX_WEIGHT = 1e6
MAX_TRANSFER_COST = 1e9
MAX_SEED = 2**31 - 1  # CP-SAT's random seed is a 32-bit integer
MAX_TIME_LIMIT_S = 7 * 24 * 3600.0
MIN_DATE, MAX_DATE = dt.date(1900, 1, 1), dt.date(2999, 12, 31)
# Past this many problems in one file, the rest are counted, not listed.
MAX_PROBLEMS_PER_FILE = 1000
MAX_ANNOUNCED_COUNT = 10_000  # re-announcements of one appointment
