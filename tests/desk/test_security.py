"""Only the holder of the token (or the password) uses the desk; other sites cannot post."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from optimizer.desk import Desk, DeskRefused, Gate, make_app
from optimizer.desk.security import PasswordHash, check_host, is_loopback

from .conftest import TestClient, bearer


def test_no_token_is_401_everywhere(client: TestClient) -> None:
    """The page, the API, the static files and a POST: 401 without the token."""
    for path in ("/", "/api/scenario", "/api/runs", "/static/desk.js"):
        assert client.get(path).status_code == 401, path
    assert "Open the link the desk printed" in client.get("/").text
    assert client.post("/api/solve", json={}).status_code == 401
    assert client.get("/api/scenario", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_the_token_in_the_link_becomes_a_session_cookie_and_leaves_the_url(
    client: TestClient, desk: Desk
) -> None:
    """``/?token=`` redirects to ``/`` with an HttpOnly, SameSite=Strict cookie."""
    r = client.get(f"/?token={desk.gate.token}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert desk.gate.token not in cookie
    page = client.get("/")
    assert page.status_code == 200 and desk.gate.token not in page.text


def _session(client: TestClient, desk: Desk) -> str:
    client.get(f"/?token={desk.gate.token}", follow_redirects=False)
    csrf = desk.gate.csrf_of(client.cookies.get("desk_session"))
    assert csrf is not None
    return csrf


def test_cross_site_post_is_refused(client: TestClient, desk: Desk) -> None:
    """With the cookie alone (what another site's form would send), or from another
    origin even with the CSRF token, a POST is refused (403) and nothing changes."""
    csrf = _session(client, desk)
    where = client.get("/api/scenario").json()["sessions"][0]
    body = {"date": where["date"], "room_id": where["room_id"]}
    assert client.post("/api/sessions/close", json=body).status_code == 403
    evil = {"Origin": "http://evil.example", "X-Desk-CSRF": csrf}
    assert client.post("/api/sessions/close", json=body, headers=evil).status_code == 403
    assert client.post("/api/solve", json={}, headers={"X-Desk-CSRF": "guess"}).status_code == 403
    assert desk.journal.entries("closed") == []
    ours = {"Origin": "http://127.0.0.1:8765", "X-Desk-CSRF": csrf}
    nameless = client.post("/api/sessions/close", json=body, headers=ours)
    assert nameless.status_code == 400 and "name" in nameless.json()["error"]
    assert client.post("/planner", json={"name": "AB"}, headers=ours).status_code == 200
    assert client.post("/api/sessions/close", json=body, headers=ours).status_code == 200
    assert [e.who for e in desk.journal.entries("closed")] == ["AB"]


def test_bearer_needs_no_cookie_nor_csrf(client: TestClient, desk: Desk) -> None:
    """A script with ``Authorization: Bearer`` posts with nothing else."""
    where = client.get("/api/scenario", headers=bearer(desk)).json()["sessions"][0]
    body = {"date": where["date"], "room_id": where["room_id"]}
    assert client.post("/api/sessions/close", json=body, headers=bearer(desk)).status_code == 200


def test_loopback_and_public_hosts() -> None:
    """Loopback names pass without a password; any other address needs one."""
    assert all(is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "127.0.0.2"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.10", "desk.example"))
    check_host("127.0.0.1", None)
    with pytest.raises(DeskRefused, match="password"):
        check_host("0.0.0.0", None)
    check_host("0.0.0.0", PasswordHash.of("s3cret"))


def test_desk_on_a_public_host_without_password_is_refused(tmp_path: Path) -> None:
    """The command exits 2 before listening, and says why."""
    r = subprocess.run(
        [sys.executable, "-m", "optimizer", "desk", "--host", "0.0.0.0", "--no-browser",
         "--data", str(tmp_path / "d"), "--port", "0"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert r.returncode == 2
    assert "--password-file" in r.stderr and "desk: http" not in r.stdout


def test_password_is_kept_hashed_and_opens_a_session(tmp_path: Path, small_hospital: Path) -> None:
    """The password opens a session through /login; the desk keeps only its hash."""
    pw = PasswordHash.of("correct horse")
    assert b"correct horse" not in pw.digest + pw.salt
    desk = Desk.open(tmp_path / "d", Gate(password=pw), small_hospital, {})
    try:
        client = TestClient(make_app(desk), base_url="http://10.0.0.5:8765")
        assert client.get("/", follow_redirects=False).headers["location"] == "/login"
        bad = client.post("/login", data={"password": "wrong"})
        assert bad.status_code == 401
        ok = client.post("/login", data={"password": "correct horse"}, follow_redirects=False)
        assert ok.status_code == 303
        assert client.get("/api/scenario").status_code == 200
    finally:
        desk.close()


def test_upload_is_size_limited_and_goes_through_the_loader(
    client: TestClient, desk: Desk, small_hospital: Path
) -> None:
    """Too large: 413. A file that is no scenario file, or a scenario with a bad cell: the
    problem named (file, row, column), the working scenario unchanged."""
    from optimizer.desk import workspace

    big = b"x" * (workspace.MAX_UPLOAD_BYTES + 1)
    r = client.post("/api/upload", files={"files": ("cases.csv", big)}, headers=bearer(desk))
    assert r.status_code == 413
    r = client.post("/api/upload", files={"files": ("../evil.sh", b"rm")}, headers=bearer(desk))
    assert r.status_code == 422
    files = [("files", (p.name, p.read_bytes())) for p in sorted(small_hospital.iterdir())
             if p.is_file()]  # fmt: skip
    cases = next(content for _, (name, content) in files if name == "cases.csv")
    lines = cases.decode().splitlines()
    lines[1] = lines[1].replace(lines[1].split(",")[3], "-5", 1)  # duration_min of row 2
    bad = [(k, (n, "\n".join(lines).encode() if n == "cases.csv" else b)) for k, (n, b) in files]
    r = client.post("/api/upload", files=bad, headers=bearer(desk))
    assert r.status_code == 422
    assert any("cases.csv" in p and "row 2" in p for p in r.json()["problems"]), r.json()
    r = client.post("/api/upload", files=files, headers=bearer(desk))
    assert r.status_code == 200, r.text


def test_an_upload_named_with_a_path_writes_nothing_outside(
    client: TestClient, desk: Desk, small_hospital: Path, tmp_path: Path
) -> None:
    """A multipart file name holding a path (``../x/cases.csv``, an absolute one) is read as
    its name alone: nothing is written where the path points, and the scenario loads. The
    same file given twice is refused."""
    outside = tmp_path / "outside"
    files = [
        ("files", (str(outside / p.name) if p.name == "cases.csv" else f"../../{p.name}",
                   p.read_bytes()))
        for p in sorted(small_hospital.iterdir()) if p.is_file()
    ]  # fmt: skip
    r = client.post("/api/upload", files=files, headers=bearer(desk))
    assert r.status_code == 200, r.text
    assert not outside.exists()
    assert not any((tmp_path.parent / p.name).exists() for p in small_hospital.iterdir())
    twice = [*files, ("files", ("cases.csv", (small_hospital / "cases.csv").read_bytes()))]
    r = client.post("/api/upload", files=twice, headers=bearer(desk))
    assert r.status_code == 422 and "given twice" in r.text, r.text


def test_a_workbook_upload_goes_through_the_loader(
    client: TestClient, desk: Desk, small_hospital: Path, tmp_path: Path
) -> None:
    """A workbook (one sheet per file) loads as the working scenario; a bad cell in it is
    named by sheet, row and column, and the working scenario stays as it was."""
    import csv

    from openpyxl import Workbook

    def workbook(bad: bool) -> bytes:
        wb = Workbook()
        wb.remove(wb.active)
        for file in sorted(small_hospital.glob("*.csv")):
            name = file.stem
            ws = wb.create_sheet(name)
            with file.open(encoding="utf-8", newline="") as fh:
                for k, row in enumerate(csv.reader(fh)):
                    if bad and name == "cases" and k == 3:
                        row[3] = "long"  # duration_min
                    ws.append(row)
        path = tmp_path / "scenario.xlsx"
        wb.save(path)
        return path.read_bytes()

    before = client.get("/api/scenario", headers=bearer(desk)).json()
    r = client.post("/api/upload", files={"files": ("plan.xlsx", workbook(True))},
                    headers=bearer(desk))  # fmt: skip
    assert r.status_code == 422
    assert any("cases" in p and "row 4" in p and "duration_min" in p
               for p in r.json()["problems"]), r.json()  # fmt: skip
    assert client.get("/api/scenario", headers=bearer(desk)).json() == before
    r = client.post("/api/upload", files={"files": ("plan.xlsx", workbook(False))},
                    headers=bearer(desk))  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["cases"] == before["cases"]
    assert desk.journal.entries("loaded")[-1].details["files"] == ["plan.xlsx"]
