"""The command that feeds the hospital's systems back: ``export``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .. import i18n
from ..i18n import Lang
from ..scenario import ScenarioError
from .common import (
    EXAMPLES,
    EXIT_BAD_INPUT,
    EXIT_BUG,
    MomentOption,
    cli,
    out_option,
    refuse_out_over,
)
from .language import said_language


@cli.command(epilog=EXAMPLES["export"])
@click.argument("result_dir", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["fhir", "hl7", "ics"]),
    help="fhir: a FHIR R4 transaction Bundle (JSON); hl7: HL7 v2.5 SIU messages for the "
    "changed appointments; ics: a folder with one iCalendar file per room.",
)
@out_option(
    "The file to write (fhir, hl7), or the folder of calendars (ics); replaced only "
    "when it is a previous export.",
    "out",
)
@click.option(
    "--timestamp",
    type=MomentOption(),
    default=None,
    help="The time written in the files (MSH-7, the Bundle's timestamp, DTSTAMP), "
    "YYYY-MM-DDTHH:MM, in the hospital's time zone unless an offset is written "
    "(default: the clock). The same folder and --timestamp give the same bytes.",
)
def export(result_dir: Path, fmt: str, out: Path, timestamp: dt.datetime | None) -> None:
    """Export RESULT_DIR's appointments for the hospital's systems, when they come back."""
    from ..export import ExportError, export_result
    from ..report import ResultFolderError
    from ..scenario.problem_words import problem_text

    refuse_out_over(out, result_dir)
    lang: Lang = said_language(None, result_dir)  # the language of what is refused
    try:
        done = export_result(result_dir, fmt, out, now=timestamp)
    except ExportError as exc:
        click.echo(i18n.text(lang, "export.cli.bad_out", problem=exc.text(lang)), err=True)
        click.echo(i18n.text(lang, "export.cli.nothing_written"), err=True)
        sys.exit(EXIT_BAD_INPUT)
    except (ResultFolderError, ScenarioError) as exc:
        n = len(exc.problems)
        click.echo(i18n.text(lang, "export.cli.bad_folder", folder=result_dir, n=n), err=True)
        for p in exc.problems:
            click.echo(f"  - {problem_text(p, lang)}", err=True)
        click.echo(i18n.text(lang, "export.cli.nothing_written"), err=True)
        sys.exit(EXIT_BAD_INPUT)
    except OSError as exc:  # a full disk or a folder we may not write: said plainly
        click.echo(i18n.text(lang, "export.cli.cannot_write", path=out, error=exc), err=True)
        sys.exit(EXIT_BUG)
    said = f"written_{fmt}_fulfilled" if done.counts.get("fulfilled") else f"written_{fmt}"
    click.echo(i18n.text(done.language, f"export.cli.{said}", path=done.path, **done.counts))
