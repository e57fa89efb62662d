"""Commands that check, generate and import scenarios."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .. import i18n
from ..i18n import Lang
from ..importers.dates import DATE_ORDERS, DateOrder
from ..scenario import Scenario, load_scenario
from ..scenario.warning_words import warning_text
from .common import (
    EXAMPLES,
    EXIT_BUG,
    DateOption,
    bad_input_exits,
    cli,
    lang_option,
    out_option,
    path_option,
    refuse_out_over,
    seed_option,
    toggle,
    whole,
)
from .language import RefusedOption, RefusedUsage, said_language

_DISRUPT = "Close a third of the rooms from the second open date, as the demo does."


@cli.command(epilog=EXAMPLES["validate"])
@click.argument("scenario_dir", type=click.Path(path_type=Path))
def validate(scenario_dir: Path) -> None:
    """Check SCENARIO_DIR and print every problem found."""
    with bad_input_exits():
        scenario = load_scenario(scenario_dir)
    lang = scenario.policy.language
    for w in scenario.warnings:
        click.echo(i18n.text(lang, "cli.warning", text=warning_text(w, lang)), err=True)
    size = _size(scenario, lang)
    click.echo(i18n.text(lang, "cli.scenario.valid", folder=scenario_dir, size=size))


@cli.command(epilog=EXAMPLES["template"])
@click.argument("out_file", metavar="OUT.xlsx", type=click.Path(path_type=Path))
@path_option(
    "--from",
    "scenario_dir",
    help="Write this scenario (a folder or a workbook) rather than an empty workbook.",
)
@click.option("--force", is_flag=True, help="Replace OUT.xlsx if it exists.")
def template(out_file: Path, scenario_dir: Path | None, force: bool) -> None:
    """Write a scenario workbook to fill in (sheets, headers, drop-down lists, a help sheet)."""
    from ..scenario.template import write_workbook
    from ..scenario.workbook import is_workbook

    lang = said_language(None, scenario_dir)  # the policy of --from's folder, if any
    if not is_workbook(out_file):
        raise RefusedOption(i18n.text(lang, "cli.template.not_xlsx"), "OUT.xlsx", lang)
    if out_file.exists() and not force:
        raise RefusedUsage(i18n.text(lang, "cli.template.exists", path=out_file), lang)
    scenario = None
    if scenario_dir is not None:
        with bad_input_exits():
            scenario = load_scenario(scenario_dir)
        lang = scenario.policy.language
    try:
        write_workbook(out_file, scenario)
    except OSError as exc:
        said = i18n.text(lang, "cli.template.cannot_write", path=out_file, error=exc)
        click.echo(said, err=True)
        sys.exit(EXIT_BUG)
    if scenario is None:
        click.echo(i18n.text(lang, "cli.template.written_empty", path=out_file))
    else:
        said = i18n.text(lang, "cli.template.written", path=out_file, scenario=scenario_dir)
        click.echo(said)


@cli.command("import-ihtc", epilog=EXAMPLES["import-ihtc"])
@click.argument("instance", type=click.Path(path_type=Path))
@click.argument("out_dir", type=click.Path(path_type=Path))
@click.option(
    "--start-date",
    type=DateOption(),
    default=None,
    help="Date of IHTC day 0 (default 2024-04-15).",
)
@seed_option("Ties in the synthesised plan, and the disruption.")
@toggle("disrupt", _DISRUPT)
@lang_option("Language of the lines printed and of the file's problems (default: en).")
def import_ihtc(
    instance: Path, out_dir: Path, start_date: Any, seed: int, disrupt: bool, lang: Lang | None
) -> None:
    """Turn an IHTC-2024 INSTANCE (.json) into a scenario folder OUT_DIR."""
    from ..importers import import_ihtc as run_import
    from ..importers._common import write_imported

    kwargs = {"start_date": start_date} if start_date is not None else {}
    with bad_input_exits(lang or "en"):
        scenario = write_imported(
            run_import(instance, seed=seed, **kwargs), out_dir, disrupt=disrupt, seed=seed
        )
    _report_import(scenario, out_dir, lang or "en")


@cli.command("import-or-utilization", epilog=EXAMPLES["import-or-utilization"])
@click.argument("csv_file", metavar="CSV", type=click.Path(path_type=Path))
@click.argument("out_dir", type=click.Path(path_type=Path))
@seed_option("Synthesised urgency classes, and the disruption.")
@whole("--weeks", 1, None, None, "Keep only the first N weeks of cases.")
@click.option(
    "--date-order",
    type=click.Choice(DATE_ORDERS),
    default=None,
    help="How to read dates such as 03/04/2022 when no date of the file has a day above "
    "12 to tell (default: such a file is refused).",
)
@toggle("disrupt", _DISRUPT)
@lang_option("Language of the lines printed and of the file's problems (default: en).")
def import_or_utilization(
    csv_file: Path,
    out_dir: Path,
    seed: int,
    weeks: int | None,
    date_order: DateOrder | None,
    disrupt: bool,
    lang: Lang | None,
) -> None:
    """Turn the OR-utilization CSV (a real booked quarter) into a scenario folder OUT_DIR."""
    from ..importers import import_or_utilization as run_import
    from ..importers._common import write_imported

    with bad_input_exits(lang or "en"):
        imported = run_import(csv_file, seed=seed, weeks=weeks, date_order=date_order)
        scenario = write_imported(imported, out_dir, disrupt=disrupt, seed=seed)
    _report_import(scenario, out_dir, lang or "en")


@cli.command(epilog=EXAMPLES["generate"])
@click.argument("out_dir", type=click.Path(path_type=Path))
@whole("--rooms", 1, 500, 11, "Operating rooms of the hospital.")
@whole("--days", 1, 250, 10, "Working days (Monday to Friday).")
@whole("--cases-per-day", 0, 5000, 30, "Planned cases per working day across all rooms (about).")
@seed_option("Seed of every random draw: the same seed, the same files.")
@click.option(
    "--start-date",
    type=DateOption(),
    default="2024-04-15",
    show_default=True,
    help="First date (the next working day if a weekend).",
)
@whole(
    "--waiting-cases", 0, None, None, "Waiting-list cases (default: a tenth of the planned ones)."
)
@toggle("surgeon-windows", "Surgeons' hours per date (surgeons.csv).")
@toggle("blocks", "Reserve each session to a specialty.")
@toggle("resources", "Anaesthetists, mobile equipment pools and ICU beds.")
@toggle("partners", "Partner hospitals that take transferable cases (partners.csv).")
@toggle("flags", "Latex-allergy, paediatric and infectious cases (sequencing in a room).")
@toggle("disruption", "Also write the plan after the attack (OUT_DIR) beside the original.")
@whole("--attack-day", 0, None, 1, "Working day the attack hits (0 = the first; with --days 1, 0).")
@toggle(
    "stays",
    "Lengths of stay in ICU and on the ward, with the beds per date (past the horizon too).",
    default=False,
)
@whole("--anaesthetist-rooms", 1, 4, 1,
       "Rooms one anaesthetist supervises (above 1: inductions are drawn too).")  # fmt: skip
@click.option("--force", is_flag=True, help="Replace the scenario files of existing folders.")
def generate(
    out_dir: Path,
    rooms: int,
    days: int,
    cases_per_day: int,
    seed: int,
    start_date: Any,
    waiting_cases: int | None,
    surgeon_windows: bool,
    blocks: bool,
    resources: bool,
    partners: bool,
    flags: bool,
    disruption: bool,
    attack_day: int,
    stays: bool,
    anaesthetist_rooms: int,
    force: bool,
) -> None:
    """Generate a realistic scenario in OUT_DIR (and the original plan in OUT_DIR_undisrupted)."""
    from ..generate import generate as run_generate
    from ..generate import undisrupted_folder, write_generated

    given = click.get_current_context().get_parameter_source("attack_day")
    if attack_day >= days and given is click.core.ParameterSource.DEFAULT:
        attack_day = days - 1  # --days 1: the default (the second day) is the only day
    if disruption and attack_day >= days:
        raise click.BadParameter(f"must be below --days ({days})", param_hint="--attack-day")
    folders = [out_dir, undisrupted_folder(out_dir)] if disruption else [out_dir]
    for folder in folders:
        # the folder, or a folder it would be made in, is a file
        blocked = next((f for f in (folder, *folder.absolute().parents)
                        if f.exists() and not f.is_dir()), None)  # fmt: skip
        if blocked is not None:
            raise click.UsageError(f"{blocked} is a file, not a folder")
        if folder.exists() and not force and any(folder.iterdir()):
            raise click.UsageError(f"{folder} is not empty; give a new folder or use --force")
    gen = run_generate(rooms=rooms, days=days, cases_per_day=cases_per_day, seed=seed,
                       start_date=start_date, waiting_cases=waiting_cases,
                       surgeon_windows=surgeon_windows, blocks=blocks, resources=resources,
                       partners=partners, flags=flags, disruption=disruption,
                       attack_day=attack_day, stays=stays,
                       anaesthetist_rooms=anaesthetist_rooms)  # fmt: skip
    written = write_generated(gen, out_dir)
    _report_import(gen.disrupted, written[0])
    if len(written) > 1:
        click.echo(f"{written[1]}: the original plan at full capacity.")


def _report_import(scenario: Scenario, out_dir: Path, lang: Lang = "en") -> None:
    """The imported or generated scenario's warnings (each a note), then its size and
    horizon, in ``lang`` (an import's ``--lang``: it has no policy language yet)."""
    for w in scenario.warnings:
        click.echo(i18n.text(lang, "cli.note", text=warning_text(w, lang)), err=True)
    click.echo(i18n.text(lang, "cli.scenario.written", folder=out_dir, size=_size(scenario, lang)))


def _size(scenario: Scenario, lang: Lang) -> str:
    """``16 cases (14 planned), 3 rooms, 6 sessions, horizon 2024-04-15 to 2024-04-16.``"""
    policy = scenario.policy
    return i18n.text(
        lang,
        "cli.scenario.size",
        cases=len(scenario.cases),
        planned=sum(1 for c in scenario.cases if c.planned_date is not None),
        rooms=len(scenario.rooms),
        sessions=len(scenario.sessions),
        start=i18n.full_date(policy.start_date, lang),
        end=i18n.full_date(policy.end_date, lang),
    )


@cli.command(epilog=EXAMPLES["capacity"])
@click.argument("scenario_dir", type=click.Path(path_type=Path))
@out_option("New scenario folder (must be new or empty).")
@click.option("--close", "close", default=None, help="Rooms to close, comma-separated: OR02,OR05.")
@click.option(
    "--open", "open_", default=None, help="Rooms to open or re-time (with --hours): OR03."
)
@click.option(
    "--surgeon-off",
    "surgeons_off",
    default=None,
    help="Surgeons absent (no hours at all), comma-separated: ENT01,GEN02.",
)
@click.option(
    "--surgeon",
    "surgeons",
    default=None,
    help="Surgeons who operate only within --hours, comma-separated: ENT01.",
)
@click.option(
    "--hours",
    default=None,
    help="Opening hours of the --open rooms, or the hours of the --surgeon: 08:00-13:00.",
)
@click.option(
    "--resource",
    "resources",
    default=None,
    help="Capacities of resources on --dates, comma-separated: anaesthetist=3,icu_bed=2 "
    "(anaesthetist, icu_bed, ward_bed or a mobile pool of resources.csv).",
)
@click.option(
    "--dates",
    default=None,
    help="Dates, comma-separated: 17/04,18/04 (year of the horizon), 17/04/2024 or "
    "2024-04-17 (default: every date of the horizon).",
)
def capacity(
    scenario_dir: Path,
    out_dir: Path,
    close: str | None,
    open_: str | None,
    surgeons_off: str | None,
    surgeons: str | None,
    hours: str | None,
    resources: str | None,
    dates: str | None,
) -> None:
    """Close rooms, open them or change their hours; mark surgeons absent or give them
    hours; set the capacity of anaesthetists, beds or equipment; on some dates: a new
    scenario --out."""
    from ..scenario.capacity import change_capacity, parse_rooms, parse_surgeons
    from ..scenario.capacity_resources import parse_resource_counts

    refuse_out_over(out_dir, scenario_dir)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        lang = said_language(None, scenario_dir)
        said = i18n.text(lang, "cli.not_new_folder", folder=out_dir)
        raise RefusedOption(said, "--out", lang)
    with bad_input_exits():
        scenario = load_scenario(scenario_dir)
    lang = scenario.policy.language
    with bad_input_exits(lang):  # said as the scenario's own problems are
        to_close, to_open = (parse_rooms(text or "", scenario) for text in (close, open_))
        off, limited = (parse_surgeons(text or "", scenario) for text in (surgeons_off, surgeons))
        counts = [] if resources is None else parse_resource_counts(resources)
        changed = change_capacity(scenario, close=to_close, open_=to_open, hours=hours,
                                  dates=None if dates is None else _ids(dates),
                                  surgeons_off=off, surgeons=limited, resources=counts,
                                  source=scenario_dir)  # fmt: skip
    _write_new(changed, out_dir)
    if to_close or to_open:
        before = {(s.date, s.room_id) for s in scenario.sessions}
        after = {(s.date, s.room_id) for s in changed.sessions}
        click.echo(i18n.text(lang, "cli.capacity.written", folder=out_dir,
                             closed=len(before - after), opened=len(after - before),
                             total=len(changed.sessions)))  # fmt: skip
    else:  # no room touched: "0 sessions closed, 0 opened" would say one was
        click.echo(i18n.text(lang, "cli.scenario.written", folder=out_dir,
                             size=_size(changed, lang)))  # fmt: skip
    if off or limited:
        _say_surgeons(scenario, off, limited, hours, dates)
    if counts:
        _say_resources(scenario, counts, dates)


def _days(scenario: Scenario, dates: str | None) -> set[Any]:
    """The dates of ``--dates`` (every date of the horizon without it), read already."""
    from ..scenario.capacity import horizon_dates, parse_day

    return (set(horizon_dates(scenario)) if dates is None
            else {parse_day(d, scenario) for d in _ids(dates)})  # fmt: skip


def _say_resources(scenario: Scenario, counts: list[tuple[str, int]], dates: str | None) -> None:
    """``Resources set on 2 dates: anaesthetists 3, ICU beds 2.``: each named as staff say it."""
    from ..explain.words import resource_words

    lang = scenario.policy.language
    said = ", ".join(f"{resource_words([name], lang)} {n}" for name, n in counts)
    click.echo(i18n.text(lang, "cli.capacity.resources_set", n=len(counts),
                         dates=len(_days(scenario, dates)), counts=said))  # fmt: skip


def _say_surgeons(
    scenario: Scenario, off: list[str], limited: list[str], hours: str | None, dates: str | None
) -> None:
    """``Surgeons absent on 2 dates: ENT01, GEN05.`` and the like for those given hours (the
    options were read and checked by the edit already)."""
    from ..clock import format_time
    from ..scenario.capacity import parse_hours

    lang = scenario.policy.language
    days = _days(scenario, dates)
    start, end = ("", "") if hours is None else map(format_time, parse_hours(hours))
    for key, ids in (("surgeons_absent", off), ("surgeons_hours", limited)):
        if ids:
            named = list(dict.fromkeys(ids))
            click.echo(i18n.text(lang, f"cli.capacity.{key}", n=len(named), dates=len(days),
                                 ids=", ".join(named), start=start, end=end))  # fmt: skip


def _ids(text: str | None) -> list[str]:
    return [] if text is None else [p.strip() for p in text.split(",") if p.strip()]


def _write_new(scenario: Any, out_dir: Path) -> None:
    """Write the scenario into a folder beside ``out_dir`` and move it in place: all or nothing."""
    import shutil
    import tempfile

    from ..scenario import write_scenario
    from ..scenario.atomic import folder_mode

    parent = out_dir.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=parent))
    try:
        write_scenario(scenario, tmp)
        tmp.chmod(folder_mode())
        if out_dir.exists():
            out_dir.rmdir()  # empty, checked above
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
