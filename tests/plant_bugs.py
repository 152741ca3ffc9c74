"""Plant the one-line bugs of issue 14, one at a time, and name the tests that catch each.

Usage: ``python tests/plant_bugs.py`` from the project folder. Each bug is applied to a
fresh copy of the tree in a temporary folder (the working tree is never touched) and
the rule tests run there; a bug that no test catches is reported as MISSED and the
script exits with status 1. Not collected by pytest (docs/testing.md).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TESTS = [
    "tests/test_goods_market.py",
    "tests/test_price_wage_rules.py",
    "tests/test_insolvency.py",
    "tests/test_price_index.py",
    "tests/test_compute_market.py",
]

BUGS = [
    # The price rule now moves the markup and prices at p = c (1 + mu), which is never
    # below cost; the bug of issue 14 (last month's price times the factor, no floor)
    # in that rule's terms:
    ("price floor removed", "sim/agents/firms.py",
     "self.markup = self.markup * factor\n"
     "        self.price = self.unit_cost * (1.0 + self.markup)",
     "self.markup = self.markup * factor\n        self.price = self.price * factor"),
    ("goods market subtracts units, not dollars", "sim/markets/goods.py",
     "remaining -= bought * firm_price", "remaining -= bought"),
    ("money growth compounded as g/12", "sim/agents/money_rule.py",
     "(1.0 + self.fixed_growth) ** (1.0 / MONTHS_PER_YEAR) - 1.0",
     "self.fixed_growth / MONTHS_PER_YEAR"),
    ("CPI link a plain mean of price relatives", "sim/economics/price_index.py",
     "        np.sqrt(\n            laspeyres_link(previous_price, price, previous_share)\n"
     "            * paasche_link(previous_price, price, share)\n        )",
     "        (price / previous_price).mean()"),
    ("insolvent firm pays its wage bill in full", "sim/markets/labour.py",
     "paid = job_wage[job] * efficiency[worker] * pay_ratio[firm]",
     "paid = job_wage[job] * efficiency[worker]"),
    ("insolvent firm pays in full and is not flagged", "sim/markets/labour.py",
     "pay_ratio = np.where(owed > firms.cash, np.maximum(firms.cash, 0.0) / owed, 1.0)",
     "pay_ratio = np.ones(n)"),
    ("provider-choice logit sign flipped", "sim/markets/compute.py",
     "weight = np.exp(\n            -self.cfg.price_sensitivity",
     "weight = np.exp(\n            self.cfg.price_sensitivity"),
    ("Wright's-law learning sign flipped", "sim/agents/providers.py",
     "ratio ** (-exponent)", "ratio ** exponent"),
]  # fmt: skip

IGNORED = shutil.ignore_patterns(
    ".git", ".venv", ".hypothesis", "__pycache__", "out", "build", "mutants", ".ruff_cache"
)


def plant(name: str, path: str, old: str, new: str) -> list[str]:
    """The tests that fail with this one bug planted."""
    with tempfile.TemporaryDirectory(prefix="planted-") as tmp:
        copy = Path(tmp) / "tree"
        shutil.copytree(ROOT, copy, ignore=IGNORED)
        source = copy / path
        text = source.read_text()
        if text.count(old) != 1:
            raise SystemExit(f"{name}: the line to change is not in {path} exactly once")
        source.write_text(text.replace(old, new))
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=no", "-rf",
             *TESTS],
            cwd=copy, env={**os.environ, "PYTHONPATH": str(copy)}, capture_output=True,
            text=True,
        )  # fmt: skip
        return [line.split(" - ")[0][len("FAILED ") :] for line in run.stdout.splitlines()
                if line.startswith("FAILED ")]  # fmt: skip


def main() -> int:
    missed = 0
    for name, path, old, new in BUGS:
        caught = plant(name, path, old, new)
        print(f"{name} ({path}): " + ("MISSED" if not caught else f"caught by {len(caught)}"))
        for test in caught:
            print(f"    {test}")
        missed += not caught
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
