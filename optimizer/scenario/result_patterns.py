"""The English sentences of a re-plan's problems (its events, sessions and cases files,
the result folder it starts from) and of a result folder read by report, letters and
export, one pattern each, by the key of the ``validation`` catalogue that says them again;
:mod:`.problem_patterns` adds them to the readers' own."""

from __future__ import annotations

# key of the validation catalogue -> the English sentence it says again
RESULT_SENTENCES: tuple[tuple[str, str], ...] = (
    # the events of a re-plan (replan/files.py), also what the desk recorded on a run
    (
        "events_cancel_unscheduled",
        r"case (?P<id>.+) is not scheduled: only a case whose day has passed \(before "
        r"--today (?P<today>\S+)\) can have been cancelled on the day; use withdrawn if it "
        r"leaves the list",
    ),
    (
        "events_cancel_not_past",
        r"case (?P<id>.+) is scheduled on (?P<d>\S+): only a case whose day has passed "
        r"\(before --today (?P<today>\S+)\) can have been cancelled on the day; use "
        r"withdrawn if it leaves the list",
    ),
    (
        "events_declined_until",
        r"declined needs the date the patient can come from, YYYY-MM-DD, on or after --today "
        r"(?P<today>\S+)",
    ),
    (
        "events_declined_under_way",
        r"case (?P<id>.+) is under way in room (?P<room>.+) since (?P<since>\S+) \(--now "
        r"(?P<now>\S+)\): a patient on the operating table cannot decline it; report done "
        r"if it is over, or withdrawn if it was stopped",
    ),
    ("events_not_in_result", r"case (?P<id>.+) is not in the previous result"),
    # the morning asked for (replan/morning.py)
    (
        "today_before_first",
        r"(?P<today>\S+) is before the previous result's first date (?P<first>\S+)",
    ),
    (
        "today_after_last",
        r"(?P<today>\S+) is after the previous horizon's last date (?P<last>\S+): give the "
        r"sessions from that date on with --sessions",
    ),
    ("events_twice", r"case (?P<id>.+) already has an event on row (?P<row>\d+)"),
    ("cell_empty", r"this cell is empty"),
    # the sessions and cases of a re-plan (replan/files.py, replan/command.py)
    (
        "sessions_closed_and_opened",
        r"room (?P<room>.+) is closed on (?P<d>\S+) by this row \(empty start and end\) and "
        r"opened by another: keep one of the two rows",
    ),
    ("case_in_previous", r"case (?P<id>.+) is already a case of the previous result"),
    # the folder a re-plan starts from (replan/files.py)
    ("not_result_folder", r"this is not a result folder \(no schedule\.csv\)"),
    (
        "result_no_scenario",
        r"the result folder has no scenario/ \(written by an older version\): solve its "
        r"scenario again, then re-plan from the new result",
    ),
    # a result folder read by report, letters, export (report/folder.py) and the files
    # of a re-plan or a result's schedule.csv (replan/files.py, facts/schedule_file.py)
    ("result_part_missing", r"is missing"),
    ("not_a_folder", r"is not a folder"),
    ("summary_lacks", r"lacks dates, totals or solver"),
    ("not_json", r"is not valid JSON \((?P<detail>.*)\)"),
    ("no_such_file", r"this file does not exist"),
)
