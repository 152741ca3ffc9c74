"""The lessons: executable notebooks (MyST markdown) built into two Jupyter Books.

Core objects: :func:`lesson_files`, :func:`read_lesson`, :func:`execute`,
:func:`student_edition`, :func:`build`, :data:`ANSWER_TAG`.

Each ``lessons/NN-*.md`` is a notebook in jupytext's MyST format. Cells tagged
``answer`` hold the answers: the instructor edition keeps them, the student edition
drops them. ``sim lessons`` (``make lessons``) executes every notebook, writes both
editions as ``.ipynb`` with their outputs and, where Jupyter Book is found
(:func:`jupyter_book`; ``make lessons`` installs it in an environment of its own,
``.venv-book``, from ``lessons/requirements-book.txt``), builds each into an HTML site
without executing again.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

ANSWER_TAG = "answer"
"""Tag of the cells the student edition leaves out."""

EDITIONS = ("student", "instructor")
BOOK_FILES = ("_config.yml", "_toc.yml", "intro.md")
"""Files of the lessons folder copied into each edition's book."""

MATHJAX = ("mathjax", "3.2.2")
"""The MathJax the books carry, so that their equations render without a network (by
default Sphinx loads MathJax from a CDN, which a classroom may not reach)."""

MATHJAX_FILES = ("tex-mml-chtml.js", "output/chtml/fonts/woff-v2")
"""MathJax's combined loader and the fonts it loads (paths inside its ``es5`` folder)."""

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "figures"
"""Where ``sim screenshots`` writes the app's screenshots (``app_*.png``); each book
gets a copy in ``figures/``, which the lessons show."""


def find_lesson_dir() -> Path:
    """``lessons/`` of the source tree this package sits in, else of the current folder."""
    beside = Path(__file__).resolve().parents[2] / "lessons"
    return beside if beside.is_dir() else Path.cwd().resolve() / "lessons"


LESSON_DIR = find_lesson_dir()


def lesson_files(folder: Path = LESSON_DIR) -> list[Path]:
    """The lesson notebooks, in order (``NN-name.md``)."""
    return sorted(p for p in folder.glob("[0-9][0-9]-*.md"))


def read_lesson(path: Path):
    """A lesson as a notebook (``nbformat.NotebookNode``)."""
    import jupytext

    return jupytext.read(path)


def is_answer(cell) -> bool:
    """Whether a cell is an answer (tagged :data:`ANSWER_TAG`)."""
    return ANSWER_TAG in cell.get("metadata", {}).get("tags", [])


def student_edition(notebook):
    """The notebook without its answer cells."""
    handout = copy.deepcopy(notebook)
    handout.cells = [cell for cell in handout.cells if not is_answer(cell)]
    return handout


def execute(notebook, folder: Path, timeout: int = 900):
    """Run every cell in a fresh Python kernel (this interpreter's), in ``folder``."""
    from nbclient import NotebookClient

    client = NotebookClient(
        notebook, timeout=timeout, kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
    )  # fmt: skip
    client.execute()
    return notebook


def jupyter_book() -> str | None:
    """The ``jupyter-book`` command: ``$JUPYTER_BOOK``, the one beside this Python, or on
    the PATH; ``None`` if absent."""
    if "JUPYTER_BOOK" in os.environ:
        return os.environ["JUPYTER_BOOK"]
    beside = Path(sys.executable).with_name("jupyter-book")
    return str(beside) if beside.exists() else shutil.which("jupyter-book")


def local_mathjax() -> Path | None:
    """MathJax's ``es5`` folder, fetched once into Solara's asset cache with npm (see
    :mod:`sim.viz.assets`); ``None`` where npm cannot fetch it (the books then load
    MathJax from its CDN)."""
    from sim.viz.assets import cache_dir, fetch_package

    package, version = MATHJAX
    folder = cache_dir() / f"{package}@{version}"
    if not folder.is_dir():
        if shutil.which("npm") is None:
            return None
        try:
            fetch_package(package, version, cache_dir())
        except (subprocess.SubprocessError, OSError, ValueError):
            return None
    return folder / "es5"


def carry_mathjax(target: Path, es5: Path) -> None:
    """Copy MathJax into the book at ``target`` and point its configuration at it."""
    for name in MATHJAX_FILES:
        source, copy = es5 / name, target / "_static" / "mathjax" / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, copy, dirs_exist_ok=True)
        else:
            shutil.copy(source, copy)
    config = target / "_config.yml"
    config.write_text(config.read_text().replace(
        "    html_show_copyright: false\n",
        "    html_show_copyright: false\n    html_static_path: [_static]\n"
        f"    mathjax_path: mathjax/{MATHJAX_FILES[0]}\n",
    ))  # fmt: skip


def build(out: Path, folder: Path = LESSON_DIR, book: bool = True) -> list[Path]:
    """Execute every lesson and write both editions (and their books) under ``out``.

    Returns the folders written: ``out/student`` and ``out/instructor`` (each with the
    notebooks and, if Jupyter Book ran, ``_build/html``).
    """
    import nbformat

    written = []
    targets = {edition: out / edition for edition in EDITIONS}
    for target in targets.values():
        target.mkdir(parents=True, exist_ok=True)
        for name in BOOK_FILES:
            shutil.copy(folder / name, target / name)
        (target / "figures").mkdir(exist_ok=True)
        for shot in SCREENSHOTS.glob("app_*.png"):
            shutil.copy(shot, target / "figures" / shot.name)
    for path in lesson_files(folder):
        executed = execute(read_lesson(path), folder)
        nbformat.write(executed, targets["instructor"] / f"{path.stem}.ipynb")
        nbformat.write(student_edition(executed), targets["student"] / f"{path.stem}.ipynb")
        print(f"executed {path.name}")
    command = jupyter_book() if book else None
    mathjax = local_mathjax() if command else None
    for edition, target in targets.items():
        config = target / "_config.yml"
        config.write_text(config.read_text().replace("EDITION", edition))
        if mathjax is not None:
            carry_mathjax(target, mathjax)
        if command:
            subprocess.run([command, "build", str(target)], check=True)
        written.append(target)
    if book and not command:
        print("note: Jupyter Book not found (make lessons installs it in .venv-book, or set "
              "JUPYTER_BOOK to its jupyter-book command); notebooks only")  # fmt: skip
    return written
