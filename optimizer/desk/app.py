"""The desk's web application: the page, its JSON API, and the gate in front of both.

Every route goes through :func:`guarded`: the token (once, in the link, then a
session cookie) or ``Authorization: Bearer``, else 401; a cookie POST also
needs the session's cross-site token and a same-origin ``Origin``. Handlers
only translate between HTTP and the API (:mod:`.actions`): no rule of the
planning lives here.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import quote, unquote, urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from .. import i18n
from ..i18n import Lang
from ..scenario import ScenarioError
from .actions import Desk
from .errors import DeskError, Said, SentProblems, request_problem_text, shown
from .journal import API
from .page import render_login, render_page
from .security import CSRF_HEADER, SESSION_COOKIE, same_origin
from .workspace import MAX_UPLOAD_BYTES, MEGABYTE

log = logging.getLogger("optimizer.desk")

PLANNER_COOKIE = "desk_planner"
LANG_COOKIE = "desk_lang"
_RUN_ID = re.compile(r"^[0-9]{4,9}$")
_FILE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$")
Handler = Callable[[Request, "Caller"], Awaitable[Response]]


@dataclass(frozen=True)
class Caller:
    """Who is asking: the planner's name for the journal, the page's language."""

    who: str
    lang: Lang
    session: str | None
    csrf: str | None


def _lang(request: Request, desk: Desk) -> Lang:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return "fr" if chosen == "fr" else "en" if chosen == "en" else desk.default_lang()


def guarded(handler: Handler, *, page: bool = False) -> Callable[[Request], Awaitable[Response]]:
    """``handler`` behind the gate; ``page`` routes send a browser to the login form."""

    async def endpoint(request: Request) -> Response:
        desk: Desk = request.app.state.desk
        gate = desk.gate
        lang = _lang(request, desk)
        if gate.bearer_ok(request.headers.get("authorization")):
            who = request.headers.get("x-desk-planner", "").strip()[:40] or API
            return await _said(handler, request, Caller(who, lang, None, None))
        token = request.query_params.get("token")
        if token is not None and gate.token_ok(token):
            new = gate.new_session()
            rest = {k: v for k, v in request.query_params.items() if k != "token"}
            back = request.url.path + ("?" + urlencode(rest) if rest else "")
            response = RedirectResponse(back, status_code=303)
            _set_session(response, new, request)
            return response
        sid = request.cookies.get(SESSION_COOKIE)
        csrf = gate.csrf_of(sid)
        if csrf is None:
            if page and gate.password is not None:
                return RedirectResponse("/login", status_code=303)
            if page:  # a browser: a page that says what to do
                return HTMLResponse(render_login(lang, failed=False, token_only=True), 401)
            return _error(DeskError("no_token", 401), lang)
        if request.method not in ("GET", "HEAD"):
            given = request.headers.get(CSRF_HEADER)
            if not same_origin(request.headers.get("origin"), request.headers.get("host")):
                return _error(DeskError("cross_site", 403), lang)
            if not gate.csrf_ok(sid, given):
                return _error(DeskError("csrf", 403), lang)
        who = unquote(request.cookies.get(PLANNER_COOKIE, "")).strip()[:40]
        if not who and request.method == "POST" and request.url.path != "/planner":
            return _error(DeskError("planner_first"), lang)
        return await _said(handler, request, Caller(who, lang, sid, csrf))

    return endpoint


async def _said(handler: Handler, request: Request, caller: Caller) -> Response:
    """The handler's answer; bad input 422 with each problem, a misuse 400 (or the
    refusal's own status), said in the caller's language."""
    try:
        return await handler(request, caller)
    except ScenarioError as exc:
        return _problems([request_problem_text(p, caller.lang) for p in exc.problems],
                         caller.lang)  # fmt: skip
    except SentProblems as exc:
        return _problems(exc.texts(caller.lang), caller.lang)
    except DeskError as exc:
        return _error(exc, caller.lang)


def _set_session(response: Response, sid: str, request: Request) -> None:
    response.set_cookie(
        SESSION_COOKIE, sid, httponly=True, samesite="strict",
        secure=request.url.scheme == "https", path="/",
    )  # fmt: skip


def _error(refusal: DeskError, lang: Lang) -> JSONResponse:
    """A refusal in the caller's language; ``code`` names it the same in every language."""
    body = {"error": refusal.text(lang), "code": refusal.key}
    return JSONResponse(body, status_code=refusal.status)


def _problems(problems: list[str], lang: Lang) -> JSONResponse:
    """Bad input: each problem named where it sits (by file, row and column, or by the
    request's field), said in the caller's language."""
    return JSONResponse(
        {"error": i18n.text(lang, "desk.errors.bad_input"), "code": "bad_input",
         "problems": problems},
        status_code=422,
    )  # fmt: skip


async def _body(request: Request) -> dict[str, Any]:
    try:
        data = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise DeskError("not_json") from None
    if not isinstance(data, dict):
        raise DeskError("not_object")
    return data


async def _answer(call: Callable[[], Any]) -> Response:
    """Run an action off the event loop (its refusals are answered by :func:`guarded`)."""
    return JSONResponse(await run_in_threadpool(call))


# --- the page ----------------------------------------------------------------------------


async def page(request: Request, caller: Caller) -> Response:
    desk: Desk = request.app.state.desk
    run_id = request.query_params.get("run")
    compare = (request.query_params.get("a"), request.query_params.get("b"))
    html = await run_in_threadpool(
        render_page, desk, caller.lang, caller.who, caller.csrf or "", run_id, compare
    )
    response = HTMLResponse(html, headers=_PAGE_HEADERS)
    if request.query_params.get("lang") in ("en", "fr"):
        response.set_cookie(LANG_COOKIE, caller.lang, samesite="strict", max_age=365 * 86400)
    return response


_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' "
    "'unsafe-inline'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


async def planner(request: Request, caller: Caller) -> Response:
    name = str((await _body(request)).get("name", "")).strip()[:40]
    if not name:
        raise DeskError("planner_name")
    request.app.state.desk.journal.add(name, "planner", previous=caller.who or None)
    response = JSONResponse({"name": name})
    response.set_cookie(PLANNER_COOKIE, quote(name), samesite="strict", max_age=365 * 86400)
    return response


async def static(request: Request, caller: Caller) -> Response:
    name = str(request.path_params["name"])
    if not _FILE_NAME.match(name):
        raise DeskError("no_file", 404)
    try:
        data = (resources.files("optimizer") / "desk" / "static" / name).read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        raise DeskError("no_file", 404) from None
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Response(data, media_type=kind, headers={"Cache-Control": "no-cache"})


async def login_form(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    return HTMLResponse(render_login(_lang(request, desk), failed=False))


async def login(request: Request) -> Response:
    """The password form (non-loopback desks): a right password opens a session."""
    desk: Desk = request.app.state.desk
    lang = _lang(request, desk)
    if desk.gate.password is None:
        return RedirectResponse("/", status_code=303)
    if not same_origin(request.headers.get("origin"), request.headers.get("host")):
        return _error(DeskError("cross_site", 403), lang)
    form = await request.form()
    given = str(form.get("password", ""))
    if not await run_in_threadpool(desk.gate.password.matches, given):
        log.info("desk: a wrong password was given")
        return HTMLResponse(render_login(lang, failed=True), status_code=401)
    response = RedirectResponse("/", status_code=303)
    _set_session(response, desk.gate.new_session(), request)
    return response


# --- the API -----------------------------------------------------------------------------


async def get_scenario(request: Request, caller: Caller) -> Response:
    return await _answer(request.app.state.desk.scenario_json)


def scenario_edit(action: Callable[[Desk, str, dict[str, Any]], Any]) -> Handler:
    """A POST that edits the working scenario: its JSON body to ``action``, said by the caller."""

    async def handler(request: Request, caller: Caller) -> Response:
        body = await _body(request)
        desk: Desk = request.app.state.desk
        return await _answer(lambda: action(desk, caller.who, body))

    return handler


async def load_source(request: Request, caller: Caller) -> Response:
    desk: Desk = request.app.state.desk
    return await _answer(lambda: desk.load_source(caller.who))


async def upload(request: Request, caller: Caller) -> Response:
    desk: Desk = request.app.state.desk
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise DeskError("upload_length", 411)
    if int(length) > MAX_UPLOAD_BYTES:
        raise DeskError("upload_too_large", 413, mb=MAX_UPLOAD_BYTES // MEGABYTE)
    form = await request.form(max_files=20, max_fields=20, max_part_size=MAX_UPLOAD_BYTES)
    files = []
    for _, value in form.multi_items():
        if hasattr(value, "read") and hasattr(value, "filename"):
            files.append((str(value.filename or ""), await value.read()))
    if not files:
        raise DeskError("no_upload")
    return await _answer(lambda: desk.load_upload(caller.who, caller.lang, files))


async def solve(request: Request, caller: Caller) -> Response:
    body = await _body(request)
    desk: Desk = request.app.state.desk
    return await _answer(lambda: desk.solve(caller.who, caller.lang, body))


async def whatif(request: Request, caller: Caller) -> Response:
    body = await _body(request)
    desk: Desk = request.app.state.desk
    return await _answer(lambda: desk.whatif(caller.who, caller.lang, body))


async def runs(request: Request, caller: Caller) -> Response:
    return await _answer(request.app.state.desk.runs_json)


def _run_id(request: Request) -> str:
    run_id = str(request.path_params["run_id"])
    if not _RUN_ID.match(run_id):
        raise DeskError("no_run", 404, run=shown(run_id))
    return run_id


async def run(request: Request, caller: Caller) -> Response:
    desk: Desk = request.app.state.desk
    return await _answer(lambda: desk.run_json(_run_id(request), caller.lang))


async def stop(request: Request, caller: Caller) -> Response:
    desk: Desk = request.app.state.desk
    return await _answer(lambda: desk.stop(caller.who, _run_id(request)))


async def run_file(request: Request, caller: Caller) -> Response:
    desk: Desk = request.app.state.desk
    name = request.path_params["name"]
    path = desk.run_file(_run_id(request), name if _FILE_NAME.match(name) else "")
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix == ".csv":
        kind = "text/csv; charset=utf-8"
    inline = path.suffix in (".html", ".json")
    headers = {"Cache-Control": "no-store"}
    if not inline:
        saved = f"run-{path.parent.name}-{path.name}"
        headers["Content-Disposition"] = f'attachment; filename="{saved}"'
    return Response(path.read_bytes(), media_type=kind, headers=headers)


async def export(request: Request, caller: Caller) -> Response:
    desk: Desk = request.app.state.desk
    fmt = str(request.path_params["fmt"])
    name, data = await run_in_threadpool(desk.export, _run_id(request), fmt)
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(data, media_type="application/octet-stream", headers=headers)


async def printable(request: Request, caller: Caller) -> Response:
    desk: Desk = request.app.state.desk
    what = str(request.path_params["what"])
    html = await run_in_threadpool(desk.printable, _run_id(request), what, caller.lang)
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


def _case_id(request: Request) -> str:
    """The case id of a path (all that follows ``explain/``, ``calls/`` or ``retract/``,
    ``/`` included); an empty one names no case."""
    case_id = str(request.path_params["case_id"])
    if not case_id:
        raise DeskError("missing", field=Said("fields.case_id"))
    return case_id


async def explain(request: Request, caller: Caller) -> Response:
    desk: Desk = request.app.state.desk
    case_id = _case_id(request)
    return await _answer(lambda: desk.explain(_run_id(request), case_id, caller.lang))


async def outcome(request: Request, caller: Caller) -> Response:
    body = await _body(request)
    desk: Desk = request.app.state.desk
    case_id = _case_id(request)
    return await _answer(lambda: desk.outcome(caller.who, _run_id(request), case_id, body))


async def retract(request: Request, caller: Caller) -> Response:
    body = await _body(request) if await request.body() else {}  # entry_id is optional
    desk: Desk = request.app.state.desk
    case_id = _case_id(request)
    return await _answer(lambda: desk.retract(caller.who, _run_id(request), case_id, body))


async def replan(request: Request, caller: Caller) -> Response:
    body = await _body(request)
    desk: Desk = request.app.state.desk
    return await _answer(lambda: desk.replan(caller.who, caller.lang, _run_id(request), body))


async def insert(request: Request, caller: Caller) -> Response:
    body = await _body(request)
    desk: Desk = request.app.state.desk
    return await _answer(lambda: desk.insert(caller.who, caller.lang, _run_id(request), body))


async def choose(request: Request, caller: Caller) -> Response:
    body = await _body(request)
    desk: Desk = request.app.state.desk
    return await _answer(lambda: desk.choose(caller.who, caller.lang, _run_id(request), body))


async def journal(request: Request, caller: Caller) -> Response:
    return await _answer(request.app.state.desk.journal_json)


def make_app(desk: Desk) -> Starlette:
    """The desk's application over ``desk`` (its gate, journal, workspace and runs)."""

    def api(path: str, handler: Handler, methods: list[str]) -> Route:
        return Route(path, guarded(handler), methods=methods)

    routes = [
        Route("/", guarded(page, page=True), methods=["GET"]),
        Route("/login", login_form, methods=["GET"]),
        Route("/favicon.ico", lambda request: Response(status_code=204), methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        api("/static/{name}", static, ["GET"]),
        api("/planner", planner, ["POST"]),
        api("/api/scenario", get_scenario, ["GET"]),
        api("/api/load", load_source, ["POST"]),
        api("/api/upload", upload, ["POST"]),
        api("/api/sessions/close", scenario_edit(Desk.close_session), ["POST"]),
        api("/api/sessions/open", scenario_edit(Desk.open_session), ["POST"]),
        api("/api/surgeons/absent", scenario_edit(Desk.surgeon_absent), ["POST"]),
        api("/api/resources/set", scenario_edit(Desk.set_resource), ["POST"]),
        api("/api/solve", solve, ["POST"]),
        api("/api/whatif", whatif, ["POST"]),
        api("/api/runs", runs, ["GET"]),
        api("/api/runs/{run_id}", run, ["GET"]),
        api("/api/runs/{run_id}/stop", stop, ["POST"]),
        api("/api/runs/{run_id}/files/{name}", run_file, ["GET"]),
        # a case id may hold "/" (the page sends it as %2F, which arrives decoded): the
        # rest of the path is the case id, whatever it holds
        api("/api/runs/{run_id}/explain/{case_id:path}", explain, ["GET"]),
        api("/api/runs/{run_id}/export/{fmt}", export, ["GET"]),
        api("/api/runs/{run_id}/print/{what}", printable, ["GET"]),
        api("/api/runs/{run_id}/calls/{case_id:path}", outcome, ["POST"]),
        api("/api/runs/{run_id}/retract/{case_id:path}", retract, ["POST"]),
        api("/api/runs/{run_id}/replan", replan, ["POST"]),
        api("/api/runs/{run_id}/insert", insert, ["POST"]),
        api("/api/runs/{run_id}/choose", choose, ["POST"]),
        api("/api/cases/fix", scenario_edit(Desk.fix_case), ["POST"]),
        api("/api/cases/release", scenario_edit(Desk.release_case), ["POST"]),
        api("/api/journal", journal, ["GET"]),
    ]
    app = Starlette(routes=routes)
    app.state.desk = desk
    return app
