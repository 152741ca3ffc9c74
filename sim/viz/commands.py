"""Sub-commands ``sim viz`` (the classroom app), ``sim screenshots`` and ``sim lessons``.

Core object: :func:`register`, called by :mod:`sim.cli`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"


SOLARA_SETTINGS = {
    "SOLARA_THEME_SHOW_BANNER": "false",
    "SOLARA_THEME_TITLE": "AI deflation",
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
}
"""Environment of the server: no "runs on Solara" badge over the charts, and no usage
telemetry (Solara would otherwise look up the machine's address and report to an outside
service: the app makes no network call of its own)."""


def solara_command(host: str, port: int, open_browser: bool) -> list[str]:
    """The ``solara run`` command line that serves the app."""
    command = [sys.executable, "-m", "solara", "run", str(APP), "--host", host, "--port", str(port),
               "--production"]  # fmt: skip
    return command if open_browser else [*command, "--no-open"]


def solara_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The server's environment: this process's, with :data:`SOLARA_SETTINGS`."""
    return {**os.environ, **SOLARA_SETTINGS, **(extra or {})}


def command_viz(args: argparse.Namespace) -> int:
    """Serve the app until interrupted (``--classroom``: to a whole class)."""
    from sim.viz.assets import ensure_assets
    from sim.viz.server import ClassroomSettings, classroom_environment, student_urls

    for package in ensure_assets():
        print(f"note: {package} is not cached; the browser will need Solara's CDN for it")
    host, extra, open_browser = args.host, {}, not args.no_open
    if args.classroom:
        settings = ClassroomSettings(args.max_students, args.idle_minutes, args.max_workers)
        host, extra, open_browser = args.host or "0.0.0.0", classroom_environment(settings), False
        print("Classroom server: each student who opens the page gets an economy of their own.")
        print("Students type one of:\n  " + "\n  ".join(student_urls(args.port)))
        print(
            f"Limits: {settings.max_students} students at once, {settings.max_workers:,} workers "
            f"per economy, idle sessions freed after {settings.idle_minutes} min.\n"
            "No password: anyone on this network can open it. Use a classroom network only; "
            "Ctrl+C stops it."
        )
    else:
        host = host or "127.0.0.1"
        print(f"classroom app on http://{host}:{args.port} (Ctrl+C stops it)")
    try:
        return subprocess.call(
            solara_command(host, args.port, open_browser), env=solara_environment(extra)
        )
    except KeyboardInterrupt:
        return 0


def command_screenshots(args: argparse.Namespace) -> int:
    """Regenerate the app screenshots used by the README and the lessons."""
    from sim.viz.screenshots import take_screenshots

    width, _x, height = args.size.partition("x")
    if not (width.isdigit() and height.isdigit()):
        raise SystemExit(f"error: --size {args.size!r}: width x height in pixels, e.g. 1280x720")
    for path in take_screenshots(args.out, {"width": int(width), "height": int(height)}):
        print(path)
    return 0


def command_lessons(args: argparse.Namespace) -> int:
    """Execute the lesson notebooks and build the student and instructor books."""
    from sim.viz.lessons import build

    for folder in build(args.out, book=not args.no_book):
        print(folder)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``viz``, ``screenshots`` and ``lessons`` to the ``sim`` command."""
    viz = subparsers.add_parser("viz", help="start the interactive classroom app (Solara)")
    viz.add_argument("--port", type=int, default=8765, help="port to serve on (default 8765)")
    viz.add_argument(
        "--host", help="address to serve on (default 127.0.0.1; 0.0.0.0 with --classroom)"
    )
    viz.add_argument("--no-open", action="store_true", help="do not open a browser")
    viz.add_argument(
        "--classroom", action="store_true",
        help="serve a whole class: listen on all interfaces, print the address students "
        "type, one economy per student, bounded memory (no password: classroom network only)",
    )  # fmt: skip
    viz.add_argument("--max-students", type=int, default=60, help="with --classroom (default 60)")
    viz.add_argument(
        "--idle-minutes", type=int, default=10,
        help="with --classroom: free a closed session after this long (default 10)",
    )  # fmt: skip
    viz.add_argument(
        "--max-workers", type=int, default=5000,
        help="with --classroom: workers per economy at most (default 5,000)",
    )  # fmt: skip
    viz.set_defaults(handler=command_viz)
    shots = subparsers.add_parser(
        "screenshots", help="regenerate docs/figures/app_*.png with headless Chromium"
    )
    shots.add_argument("--out", type=Path, default=Path("docs/figures"), help="output directory")
    shots.add_argument(
        "--size", default="1280x720", help="browser window, WIDTHxHEIGHT (default 1280x720)"
    )
    shots.set_defaults(handler=command_screenshots)
    lessons = subparsers.add_parser(
        "lessons", help="run the lesson notebooks; build the student and instructor books"
    )
    lessons.add_argument("--out", type=Path, default=Path("out/lessons"), help="output folder")
    lessons.add_argument("--no-book", action="store_true", help="notebooks only, no Jupyter Book")
    lessons.set_defaults(handler=command_lessons)
