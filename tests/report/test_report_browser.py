"""The report printed by a real browser: headless Chromium to PDF, read back with poppler.

CI installs Debian's ``chromium`` and ``poppler-utils`` (see ``.ci/run``); on a
machine without them the test is skipped, saying so.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from optimizer.report import write_report
from optimizer.result.output import unescape_cell
from tests.support.report_fixtures import write_small_result

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
POPPLER = shutil.which("pdfinfo") and shutil.which("pdftotext")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or not POPPLER,
    reason="needs chromium and poppler-utils (apt-get install -y chromium poppler-utils)",
)


def print_to_pdf(html: Path, pdf: Path) -> None:
    """Print ``html`` as a user would, with the browser's own print engine."""
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={pdf.parent / 'chromium-profile'}",
            f"--print-to-pdf={pdf}",
            html.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert pdf.exists() and pdf.stat().st_size > 0


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_report_prints_on_a4(tmp_path: Path, lang: str) -> None:
    """A4 pages, a sensible count (first page, one per date, figures, calls), and the
    printed text holds every postponed case of the call list and every room of a day."""
    folder = tmp_path / "result"
    write_small_result(folder)
    pdf = tmp_path / "report.pdf"
    print_to_pdf(write_report(folder, lang), pdf)  # type: ignore[arg-type]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size is not None, info
    # A4 is 210 x 297 mm = 595.3 x 841.9 pt
    assert abs(float(size.group(1)) - 595.3) < 2 and abs(float(size.group(2)) - 841.9) < 2
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    # crisis page, two day sheets, figures, calls: one page each for this tiny result
    assert 5 <= pages <= 8, pages
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    with (folder / "calls.csv").open(encoding="utf-8-sig", newline="") as fh:
        calls = [{k: unescape_cell(v) for k, v in r.items()} for r in csv.DictReader(fh)]
    postponed = [c["case_id"] for c in calls if c["status"] == "postponed"]
    assert postponed
    calls_part = text[text.index("Patients à appeler" if lang == "fr" else "Patients to call") :]
    for cid in postponed:
        assert cid in calls_part, cid
    room = "Salle" if lang == "fr" else "Room"
    pages_text = text.split("\f")
    day_pages = [p for p in pages_text if ("Programme du" if lang == "fr" else "Day sheet") in p]
    assert len(day_pages) == 2
    for page in day_pages:
        assert room in page
        for r in ("R1", "R2"):
            assert re.search(rf"^\s*{r}\b", page, re.M), (r, page[:200])
