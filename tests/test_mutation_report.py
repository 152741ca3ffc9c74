"""The classifier of surviving mutants (tests/mutation_report.py) on a hand-made report."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "mutation_report", Path(__file__).with_name("mutation_report.py")
)
mutation_report = importlib.util.module_from_spec(_SPEC)
sys.modules["mutation_report"] = mutation_report  # dataclasses look their module up
_SPEC.loader.exec_module(mutation_report)

REPORT = """{"killed": 2}
# sim.markets.labour.x__separate__mutmut_43: survived
--- sim/markets/labour.py
+++ sim/markets/labour.py
@@ -25,7 +25,7 @@
             n_waiting += 1
-        elif draw[worker] < fire_rate[job]:
+        elif draw[worker] <= fire_rate[job]:
             employer[worker] = -1

# sim.metrics.x_hhi__mutmut_3: survived
--- sim/metrics.py
+++ sim/metrics.py
@@ -1,3 +1,3 @@
-    total = shares.sum()
+    total = None
"""

RESULTS = """    sim.markets.labour.x__separate__mutmut_43: survived
    sim.metrics.x_hhi__mutmut_3: survived
    sim.metrics.x_hhi__mutmut_1: killed
    sim.metrics.x_hhi__mutmut_2: timeout
"""


def test_report_is_parsed_into_function_and_changed_lines() -> None:
    changes = mutation_report.parse_report(REPORT)
    assert set(changes) == {
        "sim.markets.labour.x__separate__mutmut_43",
        "sim.metrics.x_hhi__mutmut_3",
    }
    change = changes["sim.markets.labour.x__separate__mutmut_43"]
    assert change.function == "sim.markets.labour.x__separate"
    assert change.removed == "elif draw[worker] < fire_rate[job]:"
    assert change.added == "elif draw[worker] <= fire_rate[job]:"


LISTED = """[[equivalent]]
function = "sim.markets.labour.x__separate"
removed = "elif draw[worker] < fire_rate[job]:"
added = "elif draw[worker] <= fire_rate[job]:"
reason = "a tie of a continuous draw"
"""


def test_listed_survivor_is_equivalent_and_the_other_is_unexplained(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "report.txt").write_text(REPORT)
    (tmp_path / "results.txt").write_text(RESULTS)
    lists = tmp_path / "equivalents"
    lists.mkdir()
    (lists / "labour.toml").write_text(LISTED)
    load = mutation_report.load_equivalents
    monkeypatch.setattr(mutation_report, "load_equivalents", lambda: load(lists))
    status = mutation_report.main(str(tmp_path))
    out = capsys.readouterr().out
    assert status == 1
    assert "mutants 4, killed 2 (50.0%), survived 2" in out
    assert "listed as equivalent: 1; unexplained: 1" in out
    assert "score over non-equivalent mutants: 66.7%" in out
    assert "unexplained: sim.metrics.x_hhi__mutmut_3" in out


def test_every_listed_equivalent_has_a_reason() -> None:
    listed = mutation_report.load_equivalents()
    assert listed, "the equivalents folder is empty"
    assert all(reason.strip() for _, reason in listed.values())
