"""Importers: public data sets turned into scenarios the rescheduler can run on.

- :func:`import_ihtc`: an IHTC-2024 competition instance, with a synthesised plan;
- :func:`import_or_utilization`: a real quarter of an OR suite's booked schedule.

``docs/importers.md`` states how each source maps to our scenario and what is
synthesised because the source does not have it.
"""

from .ihtc import import_ihtc
from .or_utilization import import_or_utilization

__all__ = ["import_ihtc", "import_or_utilization"]
