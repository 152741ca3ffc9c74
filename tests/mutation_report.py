"""Classify the survivors of ``make mutation`` against the list of equivalent mutants.

Usage: ``python tests/mutation_report.py [build/mutation]`` from the project folder,
after ``make mutation`` (which calls it). It reads ``report.txt`` (the diff of every
surviving mutant) and ``results.txt`` (every mutant's status) and the equivalent
mutants listed in ``tests/mutation_equivalents/*.toml``, and prints the score and every
survivor that is *not* listed. Exit status 1 if one is not. Not collected by pytest.

A listed mutant is matched by what it changes, not by its number (mutmut numbers a
function's mutants in order, so an edit elsewhere in the function renumbers them):
the mutated function (the mutant's name without ``__mutmut_N``), the lines the
mutant removes and the lines it adds, compared with surrounding blanks stripped. Each
entry of a TOML file::

    [[equivalent]]
    function = "sim.markets.labour.x__separate"   # mutmut's name for the function
    removed = "elif draw[worker] < fire_rate[job]:"
    added = "elif draw[worker] <= fire_rate[job]:"
    reason = "draws are uniform on [0, 1): equality has probability zero"

``removed`` and ``added`` hold several lines joined by newlines when the diff does.
An entry that matches no survivor is reported as stale (the code changed or a test now
kills the mutant) so that the list does not outlive its reasons.
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENTS = ROOT / "tests" / "mutation_equivalents"
KILLED = {"killed", "timeout"}
_HEADER = re.compile(r"^# (\S+): survived$")


@dataclass(frozen=True)
class Change:
    """What one mutant changes: its function and the lines it removes and adds."""

    function: str
    removed: str
    added: str


def function_of(mutant: str) -> str:
    """``sim.markets.labour.x__separate__mutmut_43`` -> ``sim.markets.labour.x__separate``."""
    return re.sub(r"__mutmut_\d+$", "", mutant)


def parse_report(text: str) -> dict[str, Change]:
    """Each survivor's change, read from ``report.txt``'s unified diffs."""
    changes: dict[str, Change] = {}
    name, removed, added = None, [], []

    def close() -> None:
        if name is not None:
            changes[name] = Change(function_of(name), "\n".join(removed), "\n".join(added))

    for line in text.splitlines():
        header = _HEADER.match(line)
        if header:
            close()
            name, removed, added = header.group(1), [], []
        elif name is None or line.startswith(("---", "+++")):
            continue
        elif line.startswith("-"):
            removed.append(line[1:].strip())
        elif line.startswith("+"):
            added.append(line[1:].strip())
    close()
    return changes


def load_equivalents(folder: Path = EQUIVALENTS) -> dict[Change, tuple[str, str]]:
    """Every listed equivalent change -> (file name, reason)."""
    listed: dict[Change, tuple[str, str]] = {}
    for path in sorted(folder.glob("*.toml")):
        for i, entry in enumerate(tomllib.loads(path.read_text()).get("equivalent", [])):
            missing = {"function", "removed", "added", "reason"} - entry.keys()
            if missing or not str(entry.get("reason", "")).strip():
                raise SystemExit(
                    f"{path}: equivalent #{i + 1} needs function, removed, added and a reason"
                )
            change = Change(
                entry["function"],
                "\n".join(s.strip() for s in entry["removed"].splitlines()),
                "\n".join(s.strip() for s in entry["added"].splitlines()),
            )
            listed[change] = (path.name, entry["reason"])
    return listed


def main(folder: str = "build/mutation") -> int:
    """Print the score, the listed equivalents and every unexplained survivor."""
    base = Path(folder)
    statuses = dict(
        line.strip().rsplit(": ", 1)
        for line in (base / "results.txt").read_text().splitlines()
        if ": " in line
    )
    survivors = parse_report((base / "report.txt").read_text())
    listed = load_equivalents()
    total = len(statuses)
    killed = sum(status in KILLED for status in statuses.values())
    equivalent = {name for name, change in survivors.items() if change in listed}
    unexplained = sorted(set(survivors) - equivalent)
    stale = set(listed) - {survivors[name] for name in equivalent}
    print(f"mutants {total}, killed {killed} ({killed / total:.1%}), survived {len(survivors)}")
    print(f"  listed as equivalent: {len(equivalent)}; unexplained: {len(unexplained)}")
    if total > len(equivalent):
        print(f"  score over non-equivalent mutants: {killed / (total - len(equivalent)):.1%}")
    for change in sorted(stale, key=lambda c: (c.function, c.removed)):
        print(f"stale entry ({listed[change][0]}): {change.function}: {change.removed!r}")
    for name in unexplained:
        print(f"unexplained: {name}")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
