"""Sub-commands ``sim viz`` (start the classroom app) and ``sim screenshots``.

Core object: :func:`register`, called by :mod:`sim.cli`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"


def solara_command(host: str, port: int, open_browser: bool) -> list[str]:
    """The ``solara run`` command line that serves the app."""
    command = [sys.executable, "-m", "solara", "run", str(APP), "--host", host, "--port", str(port)]
    return command if open_browser else [*command, "--no-open"]


def command_viz(args: argparse.Namespace) -> int:
    """Serve the app until interrupted."""
    from sim.viz.assets import ensure_assets

    for package in ensure_assets():
        print(f"note: {package} is not cached; the browser will need Solara's CDN for it")
    print(f"classroom app on http://{args.host}:{args.port} (Ctrl+C stops it)")
    try:
        return subprocess.call(solara_command(args.host, args.port, not args.no_open))
    except KeyboardInterrupt:
        return 0


def command_screenshots(args: argparse.Namespace) -> int:
    """Regenerate the app screenshots used by the README and the lessons."""
    from sim.viz.screenshots import take_screenshots

    for path in take_screenshots(args.out):
        print(path)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``viz`` and ``screenshots`` to the ``sim`` command."""
    viz = subparsers.add_parser("viz", help="start the interactive classroom app (Solara)")
    viz.add_argument("--port", type=int, default=8765, help="port to serve on (default 8765)")
    viz.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    viz.add_argument("--no-open", action="store_true", help="do not open a browser")
    viz.set_defaults(handler=command_viz)
    shots = subparsers.add_parser(
        "screenshots", help="regenerate docs/figures/app_*.png with headless Chromium"
    )
    shots.add_argument("--out", type=Path, default=Path("docs/figures"), help="output directory")
    shots.set_defaults(handler=command_screenshots)
