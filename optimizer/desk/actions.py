"""What the desk can do, each a call of the public API: the page and the JSON API share it.

:class:`Desk` holds the working scenario, the journal and the runs; every
method takes plain values (what a JSON body holds), calls the same function a
command would (the capacity edits, :func:`optimizer.solve`, ``replan``'s
``prepare``, ``explain``), writes who did it in the journal, and answers with
plain values. Bad input raises :class:`~optimizer.scenario.ScenarioError`
(every problem named), a misuse :class:`DeskError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import Lang, day
from ..result.result import Result
from ..scenario import Scenario, ScenarioError
from ..scenario.capacity import open_rooms, parse_day, said_by_file, surgeon_absent
from ..scenario.capacity_resources import parse_count, set_resources
from ..scenario.edit import close_rooms
from ..scenario.errors import InvalidScenario
from ..search import StopFlag
from ..search.options import SolveArgumentError, SolveOptions
from .errors import DeskError, Said, sent_as, shown
from .errors import required as _field
from .journal import DESK, Journal
from .outcomes import CALL_OUTCOMES, events_of, in_outcomes, may_record, retract, write_events
from .outputs import case_ids, export_run, printable, readable, status_words
from .overrides import slot_in_run
from .runs import SEARCH_KEYS, Job, Printed, Runner, Work, option_bounds, search_options
from .security import Gate
from .urgent import Found, choose_work, insert_work, picked, read_options, urgent_case
from .workspace import Workspace, working_json

DayEdit = Callable[[Scenario, dt.date], Scenario]  # an edit of the scenario on one date

log = logging.getLogger("optimizer.desk")


@dataclass
class Desk:
    """The desk's state: gate, journal, working scenario, runs, and the defaults of a solve."""

    gate: Gate
    journal: Journal
    workspace: Workspace
    runner: Runner
    source: Path | None = None
    defaults: dict[str, Any] | None = None
    # the options of each insert run, for the planner to pick another (memory only)
    insertions: dict[str, Found] = field(default_factory=dict)

    @classmethod
    def open(
        cls,
        data: Path,
        gate: Gate,
        source: Path | None = None,
        defaults: dict[str, Any] | None = None,
    ) -> Desk:
        """The desk over ``data``: its journal, the working scenario left there (else
        ``source``, loaded now), and every finished run."""
        journal = Journal(data)
        workspace = Workspace(data)
        desk = cls(gate, journal, workspace, Runner(data, journal), source, defaults or {})
        # the source the desk last loaded from its command line: an upload since is kept
        loaded = [e for e in journal.entries("loaded") if e.details.get("source") != "upload"]
        same = loaded and loaded[-1].details.get("source") == str(source)
        if source is not None and (workspace.scenario is None or not same):
            with contextlib.suppress(ScenarioError):  # the page shows workspace.problems
                desk.load_source(DESK)
        return desk

    def close(self) -> None:
        self.runner.close()
        self.journal.close()

    def default_lang(self) -> Lang:
        s = self.workspace.scenario
        return s.policy.language if s is not None else "en"

    def _scenario(self) -> Scenario:
        if self.workspace.scenario is None:
            raise DeskError("no_scenario", 409)
        return self.workspace.scenario

    # --- loading and the capacity that is left ----------------------------------------------

    def load_source(self, who: str) -> dict[str, Any]:
        """(Re)load the scenario given on the command line."""
        if self.source is None:
            raise DeskError("no_source")
        scenario = self.workspace.load(self.source)
        self.journal.add(who, "loaded", source=str(self.source), cases=len(scenario.cases))
        return self.scenario_json()

    def load_upload(self, who: str, lang: Lang, files: list[tuple[str, bytes]]) -> dict[str, Any]:
        """Load the files a planner uploaded (a wrong name said in ``lang``)."""
        scenario = self.workspace.load_upload(files, lang)
        names = sorted(name for name, _ in files)
        self.journal.add(who, "loaded", source="upload", files=names, cases=len(scenario.cases))
        return self.scenario_json()

    def scenario_json(self) -> dict[str, Any]:
        """``GET /api/scenario``: the working scenario as the contract lists it."""
        return working_json(self._scenario())

    def close_session(self, who: str, body: dict[str, Any]) -> dict[str, Any]:
        """``POST /api/sessions/close {date, room_id}``."""
        date, room = _field(body, "date"), _field(body, "room_id")
        edit: DayEdit = lambda s, d: close_rooms(s, room, d, by_field=True)  # noqa: E731
        return self._on_day(who, "closed", date, edit, room_id=room)

    def open_session(self, who: str, body: dict[str, Any]) -> dict[str, Any]:
        """``POST /api/sessions/open {date, room_id, start, end}``: opens or re-times."""
        date, room = _field(body, "date"), _field(body, "room_id")
        start, end = _field(body, "start"), _field(body, "end")
        edit: DayEdit = lambda s, d: open_rooms(s, room, d, start=start, end=end,  # noqa: E731
                                                by_field=True)  # fmt: skip
        return self._on_day(who, "opened", date, edit, room_id=room, start=start, end=end)

    def surgeon_absent(self, who: str, body: dict[str, Any]) -> dict[str, Any]:
        """``POST /api/surgeons/absent {surgeon_id, date}``."""
        surgeon, date = _field(body, "surgeon_id"), _field(body, "date")
        edit: DayEdit = lambda s, d: surgeon_absent(s, surgeon, d, by_field=True)  # noqa: E731
        return self._on_day(who, "surgeon_absent", date, edit, surgeon_id=surgeon)

    def set_resource(self, who: str, body: dict[str, Any]) -> dict[str, Any]:
        """``POST /api/resources/set {resource, date, capacity}``: ``capacity --resource``."""
        name, date = _field(body, "resource"), _field(body, "date")
        count = parse_count(_field(body, "capacity"), "capacity")
        edit: DayEdit = lambda s, d: set_resources(  # noqa: E731
            s, [(name, count)], d, "resource", on_desk=True
        )
        return self._on_day(who, "resource_set", date, edit, resource=name, capacity=str(count))

    def _on_day(self, who: str, did: str, date: str, edit: DayEdit, **said: str) -> dict[str, Any]:
        """Edit the scenario on ``date``, journal what ``who`` ``did``, answer."""
        day = parse_day(date, self._scenario(), "date")
        try:
            self.workspace.edit(lambda s: edit(s, day))
        except InvalidScenario as exc:  # a pinned case in the way: "cases, row 30" is no row
            raise said_by_file(exc) from None
        self.journal.add(who, did, date=day.isoformat(), **said)
        return self.scenario_json()

    def fix_case(self, who: str, body: dict[str, Any]) -> dict[str, Any]:
        """``POST /api/cases/fix {case_id, date, room_id, start}`` (room and start optional),
        or ``{case_id, run_id}``: pinned to its slot in that run; a re-solve keeps it there."""
        from ..scenario.override import fix_case

        case_id = _field(body, "case_id")
        if body.get("run_id"):
            date, room, start = slot_in_run(self._finished(str(body["run_id"])), case_id)
        else:
            date = _field(body, "date")
            room, start = (str(body.get(k) or "").strip() for k in ("room_id", "start"))
        day = parse_day(date, self._scenario(), "date")
        self.workspace.edit(lambda s: fix_case(s, case_id, day, room=room or None,
                                               start=start or None, by_field=True))  # fmt: skip
        self.journal.add(who, "fixed", case_id=case_id, date=day.isoformat(),
                         room_id=room or None, start=start or None)  # fmt: skip
        return self.scenario_json()

    def release_case(self, who: str, body: dict[str, Any]) -> dict[str, Any]:
        """``POST /api/cases/release {case_id}``: the planner's override on it is lifted."""
        from ..scenario.override import release_case

        case_id = _field(body, "case_id")
        self.workspace.edit(lambda s: release_case(s, case_id, by_field=True))
        self.journal.add(who, "released", case_id=case_id)
        return self.scenario_json()

    # --- runs --------------------------------------------------------------------------------

    def _options(self, body: dict[str, Any]) -> dict[str, Any]:
        given: dict[str, Any] = {}
        for k in SEARCH_KEYS:
            v = body.get(k)
            if v is None or v == "":
                continue
            try:
                number = float(v) if k in ("time_limit", "work_limit", "target") else int(v)
                given[k] = SolveOptions.check_one(k, number)
            except (SolveArgumentError, ValueError, TypeError):
                lo, hi = option_bounds(k)
                raise DeskError("bad_option", field=Said(f"fields.{k}"), value=shown(v),
                                lo=lo, hi=hi) from None  # fmt: skip
        return search_options(given, self.defaults or {})

    def _queue(
        self,
        who: str,
        kind: str,
        lang: Lang,
        options: dict[str, Any],
        work: Work,
        parent: str | None = None,
        **details: Any,
    ) -> dict[str, Any]:
        with self.runner.queueing:  # the runs taken in the order of their ids
            run_id = self.journal.new_run(kind, who, {**options, **details, "lang": lang}, parent)
            self.journal.add(who, kind, run_id=run_id, **details)
            self.runner.submit(Job(run_id, lang, work))
        return {"run_id": run_id, "ahead": self.runner.ahead_of(run_id)}

    def solve(self, who: str, lang: Lang, body: dict[str, Any]) -> dict[str, Any]:
        """``POST /api/solve {time_limit, target}``: queue a solve of the working scenario."""
        from ..search.pipeline import solve_and_write

        options = self._options(body)
        scenario = _in_language(self._scenario(), lang)  # the scenario as it is now

        def work(stop: StopFlag, out: Path, printed: Printed) -> Result:
            return solve_and_write(scenario, out, SolveOptions.given(options), stop=stop,
                                   extra=lambda _, folder: printed(folder), xlsx=True)  # fmt: skip

        return self._queue(who, "solve", lang, options, work)

    def whatif(self, who: str, lang: Lang, body: dict[str, Any]) -> dict[str, Any]:
        """What it would take (``whatif``) with the extra sessions ticked (``extra_sessions.csv``
        rows; and every row of ``extra_resources.csv``), with the curve if asked: a run whose
        folder is the answer's result, with its ``whatif.*`` files (and the curve)."""
        from ..result.output import write_result
        from ..search.pipeline import checked_and_written
        from ..whatif.answer import WhatIf
        from ..whatif.command import violations_of
        from ..whatif.curve import CurvePoint
        from ..whatif.output import write_answer
        from ..whatif.search import curve, whatif

        scenario = _in_language(self._scenario(), lang)
        picked = body.get("extras")
        extras = scenario.extra_sessions
        if scenario.extra_resources and picked in (None, []):
            picked = []  # the beds and anaesthetists of extra_resources.csv alone
        elif not isinstance(picked, list) or not picked:
            raise DeskError("tick_extras")
        elif not extras:
            raise DeskError("no_extras")
        rows = [str(k) for k in picked]
        bad = [k for k in rows if not k.isdigit() or int(k) >= len(extras)]
        if bad:
            raise DeskError("bad_extras", bad=shown(bad), last=len(extras) - 1)
        chosen = tuple(extras[k] for k in sorted({int(k) for k in rows}))
        scenario = scenario.model_copy(update={"extra_sessions": chosen})
        options = self._options(body)
        target = options.pop("target", None)
        search = SolveOptions.given(options)
        with_curve = bool(body.get("curve"))

        def work(stop: StopFlag, out: Path, printed: Printed) -> Result:
            points: list[CurvePoint] | None = None

            def make() -> WhatIf:
                nonlocal points
                answer = whatif(scenario, target=target, options=search, stop=stop)
                if with_curve:
                    points = curve(answer.scenario, options=search, baseline=answer.baseline,
                                   stop=stop)  # fmt: skip
                return answer

            def write(answer: WhatIf) -> None:  # the run folder is the answer's result
                def beside(folder: Path) -> None:
                    write_answer(answer, folder, curve=points)
                    printed(folder)

                write_result(answer.result, out, extra=beside, xlsx=True)

            answer: WhatIf = checked_and_written(out, make, violations_of, write)
            return answer.result

        return self._queue(who, "whatif", lang, {**options, "target": target}, work,
                           extras=len(chosen), curve=with_curve)  # fmt: skip

    def replan(self, who: str, lang: Lang, run_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Start tomorrow from a finished run with the call outcomes recorded on it."""
        previous = self._run_scenario(run_id)
        today = (
            parse_day(str(body["today"]), previous, "today")
            if body.get("today")
            else previous.policy.start_date + dt.timedelta(days=1)
        )
        return self._replan(who, lang, run_id, today, body)

    def insert(self, who: str, lang: Lang, run_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """An urgent case arriving on the morning of a finished run (its first date unless
        ``today`` says; at ``now``, HH:MM, when the day has begun): ``insert``'s ``top``
        options (default 3), the first applied; the planner picks another with
        :meth:`choose`."""
        folder = self._finished(run_id)
        asked = urgent_case(folder, self._run_scenario(run_id), body)
        options = self._options(body)
        search = {k: v for k, v in options.items() if k != "target"}
        work = insert_work(folder, asked, search, self.insertions)
        return self._queue(who, "insert", lang, options, work, parent=run_id,
                           today=asked.today.isoformat(), case_id=asked.row["case_id"])  # fmt: skip

    def choose(self, who: str, lang: Lang, run_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Apply option ``option`` (from 1) of insert run ``run_id``: a new run, that option's
        schedule as its result folder."""
        self._finished(run_id)
        found, choose = picked(self.insertions, run_id, body)
        new_case = found[0].plan.scenario.cases[-1].case_id
        return self._queue(who, "insert", lang, {}, choose_work(found, choose), parent=run_id,
                           option=choose, case_id=new_case)  # fmt: skip

    def _replan(
        self,
        who: str,
        lang: Lang,
        run_id: str,
        today: dt.date,
        body: dict[str, Any],
    ) -> dict[str, Any]:
        from ..replan.command import prepare, write_extra
        from ..search.pipeline import solve_and_write

        folder = self._finished(run_id)
        options = self._options(body)
        events = events_of(self.journal, run_id)  # those standing: none taken back
        with tempfile.TemporaryDirectory(prefix="desk-replan-") as tmp:
            events_file = Path(tmp) / "events.csv"
            write_events(events_file, events)
            with sent_as(events_file, lambda p: in_outcomes(p, run_id, events)):
                morning = prepare(folder, today, events=events_file if events else None)
        scenario = _in_language(morning.scenario, lang)  # its problems are the request's

        def work(stop: StopFlag, out: Path, printed: Printed) -> Result:
            def extra(result: Result, folder: Path) -> None:
                write_extra(morning, result, folder)
                printed(folder)

            return solve_and_write(scenario, out, SolveOptions.given(options), stop=stop,
                                   extra=extra, xlsx=True)  # fmt: skip

        return self._queue(who, "replan", lang, options, work, parent=run_id,
                           today=today.isoformat(), events=len(events))  # fmt: skip

    def outcome(self, who: str, run_id: str, case_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Record a call's outcome on a run's call list (and the day's events)."""
        from ..replan.files import EVENTS

        folder = self._finished(run_id)
        outcome = _field(body, "outcome")
        allowed = dict.fromkeys((*CALL_OUTCOMES, *EVENTS))
        if outcome not in allowed:
            raise DeskError("bad_outcome", outcome=shown(outcome), allowed=", ".join(allowed))
        may_record(folder, run_id, case_id, outcome)
        until = None
        if outcome == "declined":
            first = self._run_scenario(run_id)
            until = parse_day(_field(body, "until"), first, "until", in_horizon=False)
            if until <= first.policy.start_date:  # no re-plan of the run could take it
                raise DeskError("until_too_early", case=shown(case_id), run=run_id,
                                until=day(until), first=day(first.policy.start_date))  # fmt: skip
        said = None if until is None else until.isoformat()
        entry = self.journal.add(who, "outcome", run_id=run_id, case_id=case_id,
                                 outcome=outcome, until=said)  # fmt: skip
        return {"case_id": case_id, "outcome": outcome, "until": said, "entry_id": entry}

    def retract(self, who: str, run_id: str, case_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Take back the outcome standing on a case of a finished run (recorded by mistake):
        :func:`.outcomes.retract`; the one recorded before it, if any, stands again."""
        self._finished(run_id)
        return retract(self.journal, who, run_id, case_id, body)

    def stop(self, who: str, run_id: str) -> dict[str, Any]:
        record = self.journal.run(run_id)
        if record is None:
            raise DeskError("no_run", 404, run=run_id)
        stopped = self.runner.stop(run_id)
        if stopped:
            self.journal.add(who, "stop", run_id=run_id)
        return {"run_id": run_id, "stopping": stopped, "state": record.state}

    def run_json(self, run_id: str, lang: Lang) -> dict[str, Any]:
        """``GET /api/runs/<id>``: ``{state, progress, summary}`` and what the page shows."""
        record = self.journal.run(run_id)
        if record is None:
            raise DeskError("no_run", 404, run=run_id)
        live = self.runner.live(run_id)
        state = live.state if live is not None else record.state
        progress = None
        if live is not None and live.progress is not None:
            from ..report.words import Words

            p = live.progress
            progress = {"index": p.index, "total": p.total, "level": p.level,
                        "level_words": Words(lang).level(p.level), "best": p.best,
                        "bound": p.bound}  # fmt: skip
        if live is not None and live.started is not None:
            progress = {**(progress or {}), "elapsed_s": round(_now() - live.started, 1)}
        summary, options = self._answer_files(run_id) if state == "done" else (None, None)
        ahead = self.runner.ahead_of(run_id) if state == "queued" else 0
        return {"run_id": run_id, "kind": record.kind, "state": state, "progress": progress,
                "options": options, "summary": summary, "message": record.message,
                "who": record.who, "parent": record.parent, "ahead": ahead,
                "words": status_words(lang, run_id, state, ahead, progress,
                                       record.message)}  # fmt: skip

    def _answer_files(self, run_id: str) -> tuple[Any, list[dict[str, Any]] | None]:
        """A finished run's ``summary.json`` (``None`` if it has none) and options (an
        insert's); damaged, a refusal naming the run (the kind of fault goes to the log,
        never its text), as print, export and explain answer it."""
        folder = self.runner.path(run_id)
        path = folder / "summary.json"
        try:
            summary = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
            return summary, read_options(folder)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("desk: run %s cannot be read: %s", run_id, type(exc).__name__)
            raise DeskError("run_unreadable", 500, run=run_id) from None

    def runs_json(self) -> list[dict[str, Any]]:
        return [
            {"run_id": r.run_id, "kind": r.kind, "state": r.state, "who": r.who,
             "created": r.created, "parent": r.parent, "message": r.message}
            for r in self.journal.runs()
        ]  # fmt: skip

    def journal_json(self) -> list[dict[str, Any]]:
        return [
            {"entry_id": e.entry_id, "at": e.at, "who": e.who, "what": e.what,
             "run_id": e.run_id, "case_id": e.case_id, **e.details}
            for e in self.journal.entries()
        ]  # fmt: skip

    def _finished(self, run_id: str) -> Path:
        record = self.journal.run(run_id)
        folder = self.runner.path(run_id)
        if record is None:
            raise DeskError("no_run", 404, run=run_id)
        if record.state != "done" or not folder.is_dir():
            raise DeskError("no_result", 409, run=run_id, state=Said(f"states_{record.state}"))
        return folder

    def _run_scenario(self, run_id: str) -> Scenario:
        from ..scenario import load_scenario

        return load_scenario(self._finished(run_id) / "scenario")

    def run_file(self, run_id: str, name: str) -> Path:
        """A file of a finished run's folder (top level only)."""
        folder = self._finished(run_id)
        path = folder / name
        if not name or name.startswith(".") or not path.is_file():
            raise DeskError("no_run_file", 404, run=run_id, name=shown(name))
        return path

    def export(self, run_id: str, fmt: str) -> tuple[str, bytes]:
        """A finished run exported for the hospital's systems: a file name and its bytes."""
        return export_run(self._finished(run_id), fmt)

    def printable(self, run_id: str, what: str, lang: Lang) -> str:
        """The report or the letters of a finished run, rendered in ``lang``."""
        return printable(self._finished(run_id), what, lang)

    def explain(self, run_id: str, case_id: str, lang: Lang) -> dict[str, Any]:
        from ..explain.command import explain as explain_case

        folder = self._finished(run_id)
        if case_id not in case_ids(folder / "schedule.csv"):
            raise DeskError("no_case_in_run", 404, case=shown(case_id), run=run_id)
        with readable(folder):  # the case is there: a refusal now is the run's files' fault
            return {"case_id": case_id, "text": explain_case(folder, case_id, lang)}


def _now() -> float:
    import time

    return time.time()


def _in_language(scenario: Scenario, lang: Lang) -> Scenario:
    """The scenario whose reasons are written in ``lang`` (as ``solve --lang`` does)."""
    if scenario.policy.language == lang:
        return scenario
    policy = scenario.policy.model_copy(update={"language": lang})
    return scenario.model_copy(update={"policy": policy})
