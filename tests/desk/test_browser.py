"""The morning on the demo, in a real headless Chromium driving the real desk server.

Starts ``python -m optimizer desk`` on a free loopback port (work-limited solves
on one worker) and, as a planner would, from the page alone: gives a name,
loads the demo, solves (a double click asks once), closes a room on a date and
solves again (the kept ratio of that date drops), records a declined call (and
undoes a mistaken one), starts tomorrow from it (the patient is away until the
date given), inserts an urgent case and picks one of its options, pins a case,
switches to French (a bad upload is refused in French) and prints the report; and,
on its own, cancels a case on the day from its day sheet and starts tomorrow. Needs
Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.paths import DEMO, REPO

CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMEDRIVER is None or CHROMIUM is None, reason="chromium and chromium-driver not installed"
)
SOLVE_WAIT_S = 240


def _room_to_close(days: list[str]) -> tuple[str, str]:
    """Among ``days``, the date and open room whose closing leaves the least room time for
    that date's planned cases (the room with the most cases planned that date): there the
    kept ratio has to drop."""
    from collections import Counter

    from optimizer import load_scenario

    demo = load_scenario(DEMO)
    best: tuple[float, str, str] | None = None
    for day in days:
        sessions = {s.room_id: s.end - s.start for s in demo.sessions if s.date.isoformat() == day}
        cases = [c for c in demo.cases if c.planned_date is not None
                 and c.planned_date.isoformat() == day]  # fmt: skip
        busiest = Counter(c.planned_room for c in cases if c.planned_room in sessions and
                          not c.pinned).most_common(1)  # fmt: skip
        if not busiest:
            continue
        room = str(busiest[0][0])
        slack = sum(sessions.values()) - sessions[room] - sum(c.duration_min for c in cases)
        if best is None or slack < best[0]:
            best = (slack, day, room)
    assert best is not None
    return best[1], best[2]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str], Path]]:
    """The desk on a free loopback port; its link (with the token), process and data folder."""
    data = tmp_path / "desk_data"
    proc = subprocess.Popen(
        [sys.executable, "-m", "optimizer", "desk", str(DEMO), "--data", str(data),
         "--port", "0", "--no-browser", "--work-limit", "0.2", "--workers", "1"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    assert line.startswith("desk: http://127.0.0.1:") and "/?token=" in line, line
    try:
        yield line.removeprefix("desk: "), proc, data
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=60)


@pytest.fixture
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000",
                "--disable-dev-shm-usage"):  # fmt: skip
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _wait_for_run(driver: object, run_id: str) -> None:
    """The page draws the run's answer when the solve is done (it reloads itself)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def shown(d: object) -> bool:
        found = d.find_elements(By.CSS_SELECTOR, f'#result[data-run="{run_id}"]')  # type: ignore[attr-defined]
        return bool(found)

    WebDriverWait(driver, SOLVE_WAIT_S, poll_frequency=0.5).until(shown)


def _ratio(driver: object, date: str) -> float:
    from selenium.webdriver.common.by import By

    cell = driver.find_element(By.CSS_SELECTOR, f'#kept tr[data-date="{date}"] td.ratio')  # type: ignore[attr-defined]
    return float(cell.get_attribute("data-ratio"))


def test_the_morning_in_a_browser(
    server: tuple[str, subprocess.Popen[str], Path], browser: object, tmp_path: Path
) -> None:
    """Load, solve (a double click asks once), close a room-date, solve: the ratio drops
    there; record a declined call (and undo a confirmation clicked after it by mistake);
    start tomorrow from it; insert an urgent case, pick an option; French, and a bad upload
    refused in French; print the report to PDF. Every run a folder on disk."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.expected_conditions import staleness_of
    from selenium.webdriver.support.ui import Select, WebDriverWait

    url, proc, data = server
    d = browser
    find = d.find_element  # type: ignore[attr-defined]
    d.get(url)  # type: ignore[attr-defined]
    assert "token=" not in d.current_url  # type: ignore[attr-defined]

    # the planner says who they are, once per browser
    find(By.ID, "planner-name").send_keys("AB")
    find(By.CSS_SELECTOR, "#planner-form button").click()
    WebDriverWait(d, 30).until(lambda x: x.find_elements(By.ID, "who"))

    # load: upload the demo's files through the page
    paths = [str(p) for p in sorted(DEMO.iterdir()) if p.suffix in (".csv", ".toml")]
    find(By.ID, "upload-files").send_keys("\n".join(paths))
    old = find(By.ID, "scenario-line")
    find(By.CSS_SELECTOR, "#upload-form button").click()
    WebDriverWait(d, 60).until(staleness_of(old))  # the page is drawn again once loaded
    from optimizer import load_scenario

    assert f"{len(load_scenario(DEMO).cases)} cases" in find(By.ID, "scenario-line").text

    # solve as it is, with a double click (bug: as on any button of the page, it sent the
    # request twice, two solves queued): the page sends one request at a time
    ActionChains(d).double_click(find(By.ID, "solve-button")).perform()
    _wait_for_run(d, "0001")
    runs = [li.get_attribute("data-run") for li in d.find_elements(By.CSS_SELECTOR, "#runs li.run")]  # type: ignore[attr-defined]
    assert runs == ["0001"], runs
    assert sorted(p.name for p in (data / "runs").iterdir() if not p.name.startswith(".")) == [
        "0001"
    ]
    # a date that keeps every case, and the room whose closing hurts it most
    rows = d.find_elements(By.CSS_SELECTOR, "#kept tbody tr")  # type: ignore[attr-defined]
    full = [str(r.get_attribute("data-date")) for r in rows]
    day, room = _room_to_close([x for x in full if _ratio(d, x) == 1.0] or full)
    before = _ratio(d, day)

    # close OR05 on 24/04 from the grid, and solve again
    cell = f'#grid button.cell[data-room="{room}"][data-date="{day}"]'
    find(By.CSS_SELECTOR, cell).click()
    old = find(By.ID, "grid")
    find(By.ID, "cell-close").click()
    WebDriverWait(d, 30).until(staleness_of(old))
    assert "closed" in find(By.CSS_SELECTOR, cell).get_attribute("class")
    find(By.ID, "solve-button").click()
    _wait_for_run(d, "0002")
    after = _ratio(d, day)
    assert after < before, (before, after)

    # a declined call on the call list
    row = find(By.CSS_SELECTOR, "#calls tbody tr")
    case_id = row.get_attribute("data-case")
    Select(row.find_element(By.CSS_SELECTOR, ".outcome-choice")).select_by_value("declined")
    until = row.find_element(By.CSS_SELECTOR, ".outcome-until")
    d.execute_script("arguments[0].value = arguments[1]", until, "2024-04-22")  # type: ignore[attr-defined]
    row.find_element(By.CSS_SELECTOR, ".record-outcome").click()
    WebDriverWait(d, 30).until(staleness_of(row))
    recorded = find(By.CSS_SELECTOR, f'#calls tr[data-case="{case_id}"] .recorded').text
    assert "declined until 22/04" in recorded and "AB" in recorded

    # "confirmed" clicked on that row by mistake, then undone (the page asks first): the
    # declined answer recorded before it stands again, and is what tomorrow reads
    row = find(By.CSS_SELECTOR, f'#calls tr[data-case="{case_id}"]')
    Select(row.find_element(By.CSS_SELECTOR, ".outcome-choice")).select_by_value("confirmed")
    row.find_element(By.CSS_SELECTOR, ".record-outcome").click()
    WebDriverWait(d, 30).until(staleness_of(row))
    row = find(By.CSS_SELECTOR, f'#calls tr[data-case="{case_id}"]')
    assert row.find_element(By.CSS_SELECTOR, ".recorded").text.startswith("confirmed")
    row.find_element(By.CSS_SELECTOR, ".undo-outcome").click()
    question = WebDriverWait(d, 30).until(lambda x: x.switch_to.alert)
    assert question.text == f"Undo “confirmed”, recorded by AB for case {case_id}?"
    question.accept()
    WebDriverWait(d, 30).until(staleness_of(row))
    recorded = find(By.CSS_SELECTOR, f'#calls tr[data-case="{case_id}"] .recorded').text
    assert "declined until 22/04" in recorded and "AB" in recorded

    # start tomorrow from run 0002 with that outcome: the patient is away until 22/04
    find(By.ID, "replan-button").click()
    _wait_for_run(d, "0003")
    tomorrow = data / "runs" / "0003"
    assert (tomorrow / "done.csv").is_file() and (tomorrow / "report.html").is_file()
    assert json.loads((tomorrow / "summary.json").read_text())["totals"]["planned"] >= 0
    away = load_scenario(tomorrow / "scenario").unavailable
    assert any(u.case_id == case_id and u.to_date.isoformat() == "2024-04-21" for u in away)

    # an urgent case arrives this morning: inserted into run 0003
    find(By.ID, "urgent-id").clear()
    find(By.ID, "urgent-id").send_keys("URG-TODAY")
    Select(find(By.ID, "urgent-urgency")).select_by_index(0)  # the most urgent class
    find(By.ID, "insert-button").click()
    _wait_for_run(d, "0004")
    inserted = (data / "runs" / "0004" / "schedule.csv").read_text(encoding="utf-8-sig")
    assert "URG-TODAY" in inserted
    # its options are listed (rank, slot, cases moved, cost per level); the planner picks
    # the last one, which becomes run 0005
    options = d.find_elements(By.CSS_SELECTOR, "#options tbody tr")  # type: ignore[attr-defined]
    assert options and "applied" in str(options[0].get_attribute("class"))
    assert find(By.CSS_SELECTOR, "#options thead th[data-level]")
    picked = str(options[-1].get_attribute("data-option"))
    if picked != "1":
        options[-1].find_element(By.CSS_SELECTOR, ".choose-option").click()
        _wait_for_run(d, "0005")
        row = find(By.CSS_SELECTOR, f'#options tr[data-option="{picked}"]')
        assert "applied" in str(row.get_attribute("class"))

    # the planner pins a case of a day sheet where it is: the working scenario fixes it
    sheet = find(By.CSS_SELECTOR, "details.sheet")
    sheet.find_element(By.TAG_NAME, "summary").click()
    pin = sheet.find_element(By.CSS_SELECTOR, ".pin-case")
    pinned_id = str(pin.get_attribute("data-case"))
    pin.click()
    WebDriverWait(d, 30).until(staleness_of(pin))
    assert find(By.CSS_SELECTOR, f'#fixed li[data-case="{pinned_id}"]')
    working = load_scenario(data / "working")
    assert next(c for c in working.cases if c.case_id == pinned_id).fixed_date is not None

    # in French
    find(By.ID, "lang-fr").click()
    WebDriverWait(d, 30).until(lambda x: "Poste de planification" in x.title)

    # a file that is no scenario's: the page shows the server's refusal, in French
    notes = tmp_path / "notes.txt"
    notes.write_text("x", encoding="utf-8")
    find(By.ID, "upload-files").send_keys(str(notes))
    find(By.CSS_SELECTOR, "#upload-form button").click()
    WebDriverWait(d, 30).until(lambda x: x.find_element(By.ID, "message").is_displayed())
    refusal = find(By.ID, "message").text
    assert refusal.startswith("Problèmes trouvés dans les données ; rien n'a été changé"), refusal
    assert "notes.txt : n'est pas un fichier de scénario" in refusal, refusal

    # print the report: it opens in its own tab, and prints to a PDF
    report = find(By.ID, "print-report").get_attribute("href")
    d.get(report)  # type: ignore[attr-defined]
    pdf = d.execute_cdp_cmd("Page.printToPDF", {"printBackground": True})  # type: ignore[attr-defined]
    assert base64.b64decode(pdf["data"]).startswith(b"%PDF")

    # the journal kept who did what; the log holds no token
    proc.terminate()
    _, err = proc.communicate(timeout=60)
    token = url.split("token=")[1]
    assert token not in err
    runs = sorted(p.name for p in (data / "runs").iterdir())
    assert runs[:4] == ["0001", "0002", "0003", "0004"] and len(runs) == (4 if picked == "1" else 5)


def test_a_case_cancelled_on_the_day_from_its_day_sheet(
    server: tuple[str, subprocess.Popen[str], Path], browser: object
) -> None:
    """On the first date's day sheet, *Cancelled on the day* asks first (said no, nothing
    is recorded), then records it: the sheet shows it with *Undo entry*; *Start tomorrow*
    puts the case back on the list without an appointment, not among the cases done."""
    import csv

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.expected_conditions import staleness_of
    from selenium.webdriver.support.ui import WebDriverWait

    from optimizer import load_scenario

    url, _, data = server
    d = browser
    find = d.find_element  # type: ignore[attr-defined]
    d.get(url)  # type: ignore[attr-defined]
    find(By.ID, "planner-name").send_keys("AB")
    find(By.CSS_SELECTOR, "#planner-form button").click()
    WebDriverWait(d, 30).until(lambda x: x.find_elements(By.ID, "who"))
    find(By.ID, "solve-button").click()
    _wait_for_run(d, "0001")

    sheet = find(By.CSS_SELECTOR, "details.sheet")
    sheet.find_element(By.TAG_NAME, "summary").click()
    button = sheet.find_element(By.CSS_SELECTOR, '.record-day[data-outcome="cancelled"]')
    case_id = str(button.get_attribute("data-case"))
    button.click()
    question = WebDriverWait(d, 30).until(lambda x: x.switch_to.alert)
    assert question.text.startswith(f"Record that case {case_id}, planned on ")
    question.dismiss()
    assert not find(By.ID, "message").is_displayed()
    button.click()  # the page was not drawn again: nothing was sent
    WebDriverWait(d, 30).until(lambda x: x.switch_to.alert).accept()
    WebDriverWait(d, 30).until(staleness_of(button))
    find(By.CSS_SELECTOR, "details.sheet summary").click()
    row = find(By.CSS_SELECTOR, f'details.sheet tr[data-case="{case_id}"]')
    recorded = row.find_element(By.CSS_SELECTOR, ".recorded").text
    assert recorded == "cancelled on the day (recorded by AB)"
    assert row.find_element(By.CSS_SELECTOR, ".undo-outcome").text == "Undo entry"
    assert not row.find_elements(By.CSS_SELECTOR, '.record-day[data-outcome="cancelled"]')

    find(By.ID, "replan-button").click()
    _wait_for_run(d, "0002")
    tomorrow = data / "runs" / "0002"
    with (tomorrow / "done.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert case_id not in {r["case_id"] for r in csv.DictReader(fh)}
    again = next(c for c in load_scenario(tomorrow / "scenario").cases if c.case_id == case_id)
    assert again.announced_date is None
