"""``desk``: the planner's desk, a local web page over the same API as the commands."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from .common import EXIT_BAD_INPUT, cli, path_option, search_option, whole


@cli.command(
    epilog="\b\nExample:\n  python -m optimizer desk data/cannes_demo\n"
    "  then open the link it prints (it opens by itself unless --no-browser)"
)
@click.argument("scenario", required=False, type=click.Path(path_type=Path))
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    default=Path("desk_data"),
    show_default=True,
    help="Folder of the journal, the working scenario and every run (runs/<run_id>/).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@whole("--port", 0, 65535, 8765, "The port to listen on (0: a free one).")
@click.option("--no-browser", is_flag=True, help="Do not open a browser.")
@path_option(
    "--password-file",
    help="First line: the password other machines must give (needed for a --host that is "
    "not a loopback address); kept only hashed.",
)
@search_option(
    "--time-limit", float, "Default time limit of a solve from the page (the page may change it)."
)
@search_option("--work-limit", float, "Deterministic work budget of every solve from the page.")
@search_option("--workers", int, "Search workers per solve.")
def desk(
    scenario: Path | None,
    data: Path,
    host: str,
    port: int,
    no_browser: bool,
    password_file: Path | None,
    time_limit: float | None,
    work_limit: float | None,
    workers: int | None,
) -> None:
    """Serve the planner's desk: load, close rooms, solve, call, start tomorrow, print."""
    from ..desk.security import DeskRefused
    from ..desk.serve import serve

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    desk_log = logging.getLogger("optimizer.desk")
    desk_log.addHandler(handler)
    desk_log.setLevel(logging.INFO)
    defaults = {"time_limit": time_limit, "work_limit": work_limit, "workers": workers}

    def say(line: str) -> None:
        click.echo(line)
        sys.stdout.flush()

    try:
        serve(scenario, data, host=host, port=port, open_browser=not no_browser,
              password_file=password_file, defaults=defaults,
              say=say)  # fmt: skip
    except DeskRefused as exc:
        click.echo(f"desk: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except OSError as exc:
        click.echo(f"desk: cannot listen on {host}:{port} ({exc.strerror or exc})", err=True)
        sys.exit(EXIT_BAD_INPUT)
