"""Starting the desk: check the address, bind, print the link, serve until Ctrl-C.

The socket is bound here, before anything is printed, so a port in use is a
plain error and ``--port 0`` takes a free port (the printed link says which).
Uvicorn's access log is off: a request line would hold the token of the first
visit; the desk logs run ids and states only.
"""

from __future__ import annotations

import socket
import threading
import webbrowser
from pathlib import Path
from typing import Any

from .actions import Desk
from .app import make_app
from .security import Gate, check_host, read_password_file


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``; ``OSError`` if the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host.strip("[]"), port))
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def link(host: str, port: int, token: str) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/?token={token}"


def serve(
    scenario: Path | None,
    data: Path,
    *,
    host: str,
    port: int,
    open_browser: bool,
    password_file: Path | None,
    defaults: dict[str, Any],
    say: Any = print,
) -> None:
    """Run the desk until interrupted; ``say`` prints the ``desk: URL`` line.

    Raises
    ------
    DeskRefused
        A non-loopback host without a password, or an unreadable password file.
    OSError
        The address cannot be bound.
    """
    import uvicorn

    password = read_password_file(password_file) if password_file is not None else None
    check_host(host, password)
    sock = bind(host, port)
    gate = Gate(password=password)
    desk = Desk.open(data, gate, scenario, defaults)
    try:
        app = make_app(desk)
        config = uvicorn.Config(app, access_log=False, log_level="warning", lifespan="off",
                                server_header=False)  # fmt: skip
        server = uvicorn.Server(config)
        url = link(host, sock.getsockname()[1], gate.token)
        say(f"desk: {url}")
        if password is not None:
            say("desk: other machines may connect; they are asked for the password")
        if open_browser:
            threading.Timer(0.5, webbrowser.open, args=(url,)).start()
        server.run(sockets=[sock])
    finally:
        desk.close()
        sock.close()
