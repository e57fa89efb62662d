"""Feeding the hospital's systems back when they return: ``export RESULT_DIR --format ...``.

A result folder becomes what those systems read: a FHIR R4 transaction
Bundle of Appointments (:mod:`.fhir`), HL7 v2.5 SIU messages for the
changed appointments (:mod:`.hl7`), or one iCalendar file per room
(:mod:`.ics`), each built with a maintained library of its standard and
written atomically (:mod:`.command`).
"""

from __future__ import annotations

from .command import FORMATS, ExportError, export_result

__all__ = ["FORMATS", "ExportError", "export_result"]
