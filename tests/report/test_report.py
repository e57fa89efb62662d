"""The printable report: made from the result folder alone, self-contained, in both languages."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from optimizer import i18n
from optimizer.report import ResultFolderError, write_report
from optimizer.scenario import ScenarioError, load_scenario, write_scenario
from tests.support.paths import DEMO
from tests.support.report_fixtures import small_scenario, write_small_result


@pytest.fixture(scope="module")
def result_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report") / "result"
    write_small_result(folder)
    return folder


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "optimizer", *args], capture_output=True, text=True, timeout=120
    )


def test_report_is_self_contained(result_dir: Path) -> None:
    """No network and no external asset: no link, script, image source, url() or @import;
    the only address is the SVG namespace."""
    html = write_report(result_dir, "en").read_text(encoding="utf-8")
    for banned in ("<link", "<script", "src=", "url(", "@import", "<img"):
        assert banned not in html, banned
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) == {"http://www.w3.org/2000/svg"}
    assert "@page { size: A4;" in html
    assert html.count("<svg") >= 3  # the chart and one timeline per room and date


def test_report_reads_only_the_folder(result_dir: Path, tmp_path: Path) -> None:
    """A result folder copied elsewhere (mailed, on a USB stick) still makes its report,
    and the report names every case of the call list and every room of each day."""
    copy = tmp_path / "copied"
    shutil.copytree(result_dir, copy)
    html = write_report(copy, "en").read_text(encoding="utf-8")
    calls = (copy / "calls.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert calls
    for line in calls:
        assert line.split(",")[0] in html
    for room in ("R1", "R2"):
        assert f"<b>{room}</b>" in html
    assert "transferred to CH Grasse" in html


def test_french_report_reads_as_french(result_dir: Path, tmp_path: Path) -> None:
    """Dates jj/mm, "salle", "reporté", "transféré au CH de ...", "90 %" with a narrow
    no-break space; and none of the English words of the catalogue."""
    copy = tmp_path / "fr"
    shutil.copytree(result_dir, copy)
    html = write_report(copy, "fr").read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    for words in (
        "(salle R2,",
        "reporté au 17/04",
        "transféré au CH de Grasse",
        "90\u202f%",
        "Patients à appeler",
        "mar. 16/04",
    ):
        assert words in html, words
    en, fr = i18n.catalogue("en"), i18n.catalogue("fr")
    english_only = {
        en[k]
        for k in en
        if k.startswith("report.") and en[k] != fr[k] and len(en[k]) > 12 and "{" not in en[k]
    }
    assert english_only and not [s for s in english_only if s in html]


def test_language_from_the_policy(tmp_path: Path) -> None:
    """Without --lang the policy's language decides; it travels in scenario/policy.toml."""
    folder = tmp_path / "result"
    write_small_result(folder, language="fr")
    assert 'language = "fr"' in (folder / "scenario" / "policy.toml").read_text()
    assert load_scenario(folder / "scenario").policy.language == "fr"
    r = run_cli("report", str(folder))
    assert r.returncode == 0, r.stderr
    assert "Rapport" in r.stdout
    assert '<html lang="fr">' in (folder / "report.html").read_text(encoding="utf-8")
    r = run_cli("report", str(folder), "--lang", "en")
    assert '<html lang="en">' in (folder / "report.html").read_text(encoding="utf-8")


def test_unknown_language_in_policy_is_bad_input(tmp_path: Path) -> None:
    """``language = "de"`` is named by file, line and key; nothing is loaded."""
    src = DEMO
    scenario = tmp_path / "sc"
    shutil.copytree(src, scenario)
    policy = scenario / "policy.toml"
    policy.write_text('language = "de"\n' + policy.read_text())
    with pytest.raises(ScenarioError) as err:
        load_scenario(scenario)
    assert "policy.toml, row 1, column language" in str(err.value)


def test_not_a_result_folder(tmp_path: Path) -> None:
    """A scenario folder or a folder with a schedule naming unknown cases is refused,
    each problem named; exit 2 from the CLI and no report written."""
    src = DEMO
    with pytest.raises(ResultFolderError) as err:
        write_report(src)
    assert "schedule.csv: is missing" in str(err.value)
    r = run_cli("report", str(src))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert not (src / "report.html").exists()

    folder = tmp_path / "result"
    write_small_result(folder)
    schedule = folder / "schedule.csv"
    schedule.write_text(schedule.read_text().replace("B3,", "ZZ,"), encoding="utf-8")
    with pytest.raises(ResultFolderError) as err:
        write_report(folder)
    said = str(err.value)
    assert "row 6, column case_id: case ZZ is not in scenario/" in said
    assert "column case_id: case B3 has no row" in said
    assert not (folder / "report.html").exists()


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "(the number of cores and the seed were not recorded)"),
        ("fr", "(le nombre de cœurs de calcul et le tirage n'ont pas été enregistrés)"),
    ],
)
def test_report_of_a_summary_without_its_run_block(
    result_dir: Path, tmp_path: Path, lang: str, said: str
) -> None:
    """A summary.json that does not say how it was searched (insert's result/ before it wrote
    its run block: exit 1, "could not convert string to float: '?'") is reported with what
    it says: the search's time, and that the cores and the seed were not recorded."""
    folder = tmp_path / "no_run"
    shutil.copytree(result_dir, folder)
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    del summary["run"]
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    r = run_cli("report", str(folder), "--lang", lang)
    assert r.returncode == 0, r.stderr
    text = unescape((folder / "report.html").read_text(encoding="utf-8"))
    assert said in text


def test_solve_quiet_json_and_report(tmp_path: Path) -> None:
    """``--quiet`` prints nothing; ``--json`` prints summary.json; ``--report`` writes the
    report; no colour codes when the output is not a terminal."""
    scenario = tmp_path / "small"
    write_scenario(small_scenario(), scenario)
    demo = str(scenario)
    out = tmp_path / "out"
    common = ("--out", str(out), "--workers", "1", "--work-limit", "2", "--time-limit", "20")
    r = run_cli("solve", demo, *common, "--quiet")
    assert r.returncode == 0 and r.stdout == "" and r.stderr == ""
    r = run_cli("solve", demo, *common, "--json", "--report", "--lang", "fr")
    assert r.returncode == 0, r.stderr
    assert (
        json.loads(r.stdout)["totals"] == json.loads((out / "summary.json").read_text())["totals"]
    )
    assert '<html lang="fr">' in (out / "report.html").read_text(encoding="utf-8")
    r = run_cli("solve", demo, *common, "--lang", "fr")
    assert "Taux de maintien par jour (objectif 90\u202f%)" in r.stdout
    assert "\x1b[" not in r.stdout + r.stderr


@pytest.mark.parametrize(
    "command", ["validate", "solve", "report", "generate", "import-ihtc", "import-or-utilization"]
)
def test_help_shows_an_example(command: str) -> None:
    r = run_cli(command, "--help")
    assert r.returncode == 0
    assert "Example" in r.stdout and f"python -m optimizer {command}" in r.stdout


def test_ids_are_text_not_markup(tmp_path: Path) -> None:
    """A case id or surgeon id holding markup is shown as text, never run as HTML."""
    from optimizer.result.output import write_result
    from tests.support.report_fixtures import solved

    sc = small_scenario()
    odd = sc.cases[4].model_copy(update={"case_id": "<b>B3&</b>", "surgeon_id": "<i>S</i>"})
    sc = sc.model_copy(update={"cases": (*sc.cases[:4], odd, sc.cases[5])})
    folder = tmp_path / "result"
    write_result(solved(sc), folder)
    html = write_report(folder, "en").read_text(encoding="utf-8")
    assert "<b>B3&</b>" not in html and "<i>S</i>" not in html
    assert "&lt;b&gt;B3&amp;&lt;/b&gt;" in html


def test_a_french_report_gives_the_reasons_in_french(result_dir: Path, tmp_path: Path) -> None:
    """The folder was solved in English: the report finds each case's cause again and says
    it in French, never the English words of ``schedule.csv``."""
    import csv

    from optimizer.explain import bookings_from_schedule, find_causes, render
    from optimizer.scenario import load_scenario

    copy = tmp_path / "fr"
    shutil.copytree(result_dir, copy)
    html = write_report(copy, "fr").read_text(encoding="utf-8")
    with (copy / "schedule.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    scenario = load_scenario(copy / "scenario")
    findings = [f for f in find_causes(scenario, bookings_from_schedule(scenario, rows)) if f]
    assert findings
    for f in findings:
        english = next(r["reason"] for r in rows if r["case_id"] == f.case_id)
        french = render(f, "fr")
        assert french != english
        assert html_escape(french) in html, f.case_id
        assert html_escape(english) not in html, f.case_id


def html_escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def test_the_report_shows_the_robustness_of_a_simulated_folder(
    result_dir: Path, tmp_path: Path
) -> None:
    """After ``robustness``, the report lists the riskiest room-dates; before, it says nothing."""
    from optimizer.sweep.robustness import simulate_folder, write_robustness

    copy = tmp_path / "sim"
    shutil.copytree(result_dir, copy)
    before = write_report(copy, "en").read_text(encoding="utf-8")
    assert "Robustness: risk of running over" not in before
    write_robustness(simulate_folder(copy, samples=500, seed=1), copy)
    html = write_report(copy, "en").read_text(encoding="utf-8")
    assert "Robustness: risk of running over" in html
    rooms = {line.split(",")[1] for line in (copy / "robustness_rooms.csv").read_text().split()[1:]}
    assert rooms and all(f"<td>{room}</td>" in html for room in rooms)
    french = write_report(copy, "fr").read_text(encoding="utf-8")
    assert "Robustesse : risque de dépassement" in french


def test_report_of_a_call_with_no_previous_appointment(tmp_path: Path) -> None:
    """Regression (found through the desk's start tomorrow): a call whose patient had no
    appointment before (``old_date`` empty) first in calls.csv crashed the report; it now
    opens the call list under its own heading."""
    import csv

    from optimizer.report import write_report

    folder = tmp_path / "result"
    write_small_result(folder)
    path = folder / "calls.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows, "the small result has calls"
    rows[0].update(old_date="", old_room="", old_start="")
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    html = write_report(folder, "en").read_text(encoding="utf-8")
    assert "No appointment given before" in html
    assert "Pas de rendez-vous donné auparavant" in write_report(folder, "fr").read_text("utf-8")


def test_a_fresh_result_reports_its_own_reasons_without_finding_them_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``solve --report`` reports the folder it just wrote: its reasons, in its language and
    none in short, are shown as written; the page is the same as the one found again."""
    from optimizer.report import view
    from optimizer.report.folder import read_result_folder
    from optimizer.report.render import render_report

    folder = tmp_path / "r"
    write_small_result(folder)
    read = read_result_folder(folder)
    again = render_report(view.build_report(read, "en"))

    def found_again(*_: object) -> None:
        raise AssertionError("reasons found again")

    monkeypatch.setattr(view, "reasons_in", found_again)
    assert render_report(view.build_report(read, "en", fresh=True)) == again
    with pytest.raises(AssertionError, match="found again"):  # another language: found
        view.build_report(read, "fr", fresh=True)


def test_the_announced_appointments_level_is_named_in_french() -> None:
    """The level of a re-plan (or an insert) that counts announced appointments changed was
    shown in English on French pages and in the desk."""
    from optimizer.model.objective import DATE_CHANGE, ROOM_OR_TIME_CHANGE
    from optimizer.report.words import Words

    announced = (
        f"announced appointments changed (a date {DATE_CHANGE}, a room or time "
        f"{ROOM_OR_TIME_CHANGE})"
    )
    said = Words("fr").level(announced)
    assert said != announced and "rendez-vous annoncés" in said


@pytest.mark.parametrize(("lang", "empty"), [("en", "room ,"), ("fr", "salle ,")])
def test_call_of_a_waiting_patient_has_no_empty_old_slot(
    result_dir: Path, lang: str, empty: str
) -> None:
    """Regression: a waiting-list patient called in (no appointment before, under "No
    appointment given before") showed "room ," as the old appointment (the demo: 26 times)."""
    with (result_dir / "calls.csv").open(encoding="utf-8-sig") as fh:
        assert any(line.startswith("W1,") for line in fh)  # W1 is called in
    html = write_report(result_dir, lang).read_text(encoding="utf-8")  # type: ignore[arg-type]
    calls = unescape(html[html.index('class="part calls"') :])
    assert empty not in calls
