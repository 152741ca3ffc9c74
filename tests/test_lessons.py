"""The lessons: structure, editions, ties to the app's presets, and every notebook run.

The notebooks run on small economies here (``SIM_LESSON_WORKERS``/``SIM_LESSON_MONTHS``)
so that a lesson cannot drift from the model without a failing test, at little CI time.
"""

from __future__ import annotations

import re
import time

import pytest

from sim.viz.lessons import (
    LESSON_DIR,
    carry_mathjax,
    execute,
    is_answer,
    lesson_files,
    read_lesson,
    student_edition,
)  # fmt: skip
from sim.viz.presets import discover
from sim.viz.teaching import VERIFIED_FLAGS, sourced

LESSONS = lesson_files()
SECTIONS = ("## Learning goals", "## Predict", "## Run", "## Explain", "## Questions")


def test_there_are_six_lessons_in_the_book():
    assert [p.stem[:2] for p in LESSONS] == ["01", "02", "03", "04", "05", "06"]
    toc = (LESSON_DIR / "_toc.yml").read_text()
    assert all(f"file: {p.stem}" in toc for p in LESSONS)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_each_lesson_predicts_runs_explains_and_asks(path):
    text = path.read_text()
    positions = [text.index(section) for section in SECTIONS]
    assert positions == sorted(positions), "sections out of order"
    assert "## Real data beside the model" in text or "policy" in path.stem
    notebook = read_lesson(path)
    assert sum(is_answer(cell) for cell in notebook.cells) >= 2


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_the_student_edition_has_no_answers(path):
    notebook = read_lesson(path)
    handout = student_edition(notebook)
    assert not any(is_answer(cell) for cell in handout.cells)
    assert not any("**Answer.**" in cell.source for cell in handout.cells)
    assert len(handout.cells) < len(notebook.cells)
    assert any(cell.cell_type == "code" for cell in handout.cells)


def test_presets_and_lessons_point_at_each_other():
    presets = discover()
    lessons = {f"lessons/{p.name}": " ".join(p.read_text().split()) for p in LESSONS}
    tied = [p for p in presets.values() if p.lesson]
    assert {p.lesson for p in tied} == set(lessons)
    for preset in tied:
        text = lessons[preset.lesson]
        assert f"*{preset.title}*" in text, preset.key
        assert f'run("{preset.key}"' in text, preset.key


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_no_model_result_is_typed_into_a_lesson(path):
    """Results (a fold, a signed per cent change) never appear in the prose: they come
    out of the cells."""
    prose = [cell.source for cell in read_lesson(path).cells if cell.cell_type == "markdown"]
    for text in prose:
        typed = re.findall(r"\d[\d,.]*-fold|[+\u2212-]\d[\d.]*\s?%", text)
        assert not typed, f"{path.name}: typed results {typed}"


def test_lessons_show_only_verified_data():
    for name in ("chart_of_the_century", "ai_price_trends", "provider_shares",
                 "ai_token_volumes", "bls_employment_shares"):  # fmt: skip
        assert set(sourced(name).flag) <= set(VERIFIED_FLAGS)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_the_lesson_runs(path, monkeypatch):
    monkeypatch.setenv("SIM_LESSON_WORKERS", "400")
    monkeypatch.setenv("SIM_LESSON_MONTHS", "36")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    started = time.perf_counter()
    notebook = execute(read_lesson(path), LESSON_DIR, timeout=600)
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    printed = "".join(
        o.get("text", "") for c in notebook.cells for o in c.get("outputs", [])
        if o.output_type == "stream"
    )  # fmt: skip
    assert re.search(r"\d", printed), "the lesson printed no number from its runs"
    print(f"{path.name}: {time.perf_counter() - started:.1f} s")


def test_the_books_carry_their_own_mathjax(tmp_path):
    es5 = tmp_path / "es5"
    (es5 / "output/chtml/fonts/woff-v2").mkdir(parents=True)
    (es5 / "tex-mml-chtml.js").write_text("// MathJax")
    (es5 / "output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff").write_text("font")
    book = tmp_path / "book"
    book.mkdir()
    (book / "_config.yml").write_text((LESSON_DIR / "_config.yml").read_text())
    carry_mathjax(book, es5)
    assert (book / "_static/mathjax/tex-mml-chtml.js").read_text() == "// MathJax"
    assert (book / "_static/mathjax/output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff").exists()
    config = (book / "_config.yml").read_text()
    assert "    mathjax_path: mathjax/tex-mml-chtml.js\n" in config
    assert "    html_static_path: [_static]\n" in config
