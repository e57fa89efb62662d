"""Rendering the report: Jinja2 templates, one self-contained HTML file per result folder.

The file carries its styles and charts (inline SVG) and uses system fonts
only, so it opens and prints the same with no network, as in a hospital cut
off by an attack. ``@page`` sets A4; each part starts on a new page.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..i18n import Lang
from ..scenario.atomic import write_bytes_atomically
from .folder import ResultFolder, read_result_folder
from .view import Report, build_report
from .words import Words

REPORT_FILE = "report.html"


def environment(
    templates: str = "report/templates", *, keep_trailing_newline: bool = True
) -> jinja2.Environment:
    """The Jinja2 environment of the package's HTML pages (the report, the letters, the
    desk's pages): escaped, strict about unknown names, blocks trimmed."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("optimizer", templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=keep_trailing_newline,
    )


def render_report(report: Report) -> str:
    """The HTML of ``report``."""
    template = environment().get_template("report.html.j2")
    return template.render(r=report, t=Words(report.lang))


def write_report(result_dir: str | Path, lang: Lang | None = None) -> Path:
    """Write ``RESULT_DIR/report.html`` from the result folder alone; returns its path.

    ``lang`` is ``"en"`` or ``"fr"``; ``None`` takes the policy's ``language``
    (``scenario/policy.toml`` of the folder). The file is replaced in one step,
    so a reader never sees half a report.

    Raises
    ------
    ResultFolderError, ScenarioError
        The folder is not a whole result folder (each problem named).
    """
    folder = read_result_folder(result_dir)
    return write_folder_report(folder, lang or folder.scenario.policy.language)


def write_folder_report(folder: ResultFolder, lang: Lang, *, fresh: bool = False) -> Path:
    """Write ``report.html`` into a result folder already read (``fresh``: just written by
    this run, see :func:`~.view.build_report`); returns its path."""
    report = build_report(folder, lang, fresh=fresh)
    return write_html(folder.path, REPORT_FILE, render_report(report))


def write_html(folder: Path, name: str, html: str) -> Path:
    """Write ``folder/name`` in one step (a reader never sees half a page); returns its path."""
    return write_bytes_atomically(folder / name, html.encode("utf-8"))
