"""Malformed inputs: every one gives one short message, a non-zero exit, no traceback and
writes nothing.

The corpus is ``tests/corpus/`` (scenario and sweep files: wrong encodings, syntax,
types, ranges, nesting, sizes, malformed ``[sweep]`` tables) plus inputs made here
(50 MB values, a FIFO, ``/dev/zero``, long keys) and command-line flags (``--out``
a file, ``--workers -1``, a bad ``--scheduler``, ...). Each case runs ``sim`` and
checks: exit status 2, nothing on stderr that looks like a traceback, a message of
at most :data:`MAX_MESSAGE` characters that names the file (and, where given, the
key and what is allowed), and no output directory created.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from sim.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).parent / "corpus"
BASELINE = str(ROOT / "scenarios" / "baseline.toml")
TINY_SWEEP = str(ROOT / "scenarios" / "baumol_map.toml")
MAX_MESSAGE = 4000
"""Largest message (stderr) a malformed input may produce, in characters."""

FILES = sorted(p.name for p in CORPUS.iterdir())

EXPECTED = {
    "latin1.toml": ["not UTF-8"],
    "utf16.toml": ["not UTF-8"],
    "binary.toml": ["not UTF-8"],
    "huge_integer.toml": ["cannot be read"],
    "long_integer.toml": ["run.seed", "4,000 characters", "<= 9223372036854775807"],
    "nan.toml": ["households.consumer_elasticity = nan", "finite", ">= 0.05"],
    "inf_weight.toml": ["sectors.care.consumer_weight = inf", "<= 10000"],
    "negative_inf.toml": ["labour.initial_wage = -inf"],
    "subnormal.toml": ["compute.tiers.basic.price = 5e-320", ">= 0.0001"],
    "tiny_share.toml": ["sectors.manufacturing.ai_share = 1e-97", ">= 1e-06"],
    "unknown_key.toml": ["did you mean 'households.consumer_elasticity'"],
    "wrong_type.toml": ["run.steps = 'ten'", "<= 2400"],
    "bad_sector_name.toml": ["name 'bad name!' is not allowed"],
    "unknown_tier.toml": ["sectors.care.min_tier = 'gold'", "advanced, basic, frontier"],
    "compounding.toml": ["annual_decline", "at most 10^40"],
    "too_much_memory.toml": ["needs about", "--max-memory"],
    "sixty_sectors.toml": ["at most 50"],
    "deep_nesting.toml": ["nested"],
    "deep_tables.toml": ["nested more than 8 deep"],
    "directory.toml": ["not a file"],
    "sweep_not_a_table.toml": ["sweep = 5"],
    "bool_for_number.toml": ["labour.mobility = True", "a number is needed"],
    "many_errors.toml": ["households.unknown_0", "more lines"],
    "sweep_bad_design.toml": ["sweep.design", "grid, random"],
    "sweep_unknown_parameter.toml": ["did you mean 'labour.mobility'"],
    "sweep_nan_bound.toml": ["finite"],
    "sweep_huge_grid.toml": ["runs", "at most 1,000,000"],
    "sweep_too_many_runs.toml": ["10,000,000,000 runs", "at most 1,000,000"],
    "sweep_seed_varied.toml": ["run.seed' cannot vary"],
}
"""Words the message must contain, beyond the file's name."""

RUN_ONLY_OK = {"sweep_value_out_of_range.toml", "sweep_fractional_integer.toml"}
"""Sweep files whose [sweep] table is well formed (its points are checked by `sim sweep`)."""


def run_sim(argv: list[str], capsys) -> tuple[int, str]:
    """``sim ARGV`` in this process: (exit status, stderr). An exception escaping
    ``main`` (a traceback) fails the test."""
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.err + captured.out


def assert_refused(code: int, message: str, out: Path, *words: str) -> None:
    assert code == 2, message
    assert "Traceback" not in message
    assert len(message) <= MAX_MESSAGE, f"{len(message):,} characters"
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    assert not out.exists(), f"{out} was written"


@pytest.mark.parametrize("name", FILES)
def test_sim_run_refuses_each_malformed_file(name, tmp_path, capsys):
    out = tmp_path / "out"
    code, message = run_sim(["run", str(CORPUS / name), "--out", str(out)], capsys)
    if name in RUN_ONLY_OK:
        assert code == 0  # a single run ignores a well-formed [sweep] table
        return
    assert_refused(code, message, out, name, *EXPECTED.get(name, []))


@pytest.mark.parametrize("name", [n for n in FILES if n.startswith("sweep_")])
def test_sim_sweep_refuses_each_malformed_sweep(name, tmp_path, capsys):
    out = tmp_path / "out"
    code, message = run_sim(["sweep", str(CORPUS / name), "--out", str(out), "--workers", "1"],
                            capsys)  # fmt: skip
    assert_refused(code, message, out, name)


def made_inputs(tmp_path: Path) -> dict[str, Path]:
    """Inputs too large or too special to keep in the repository."""
    made = {}
    big = tmp_path / "fifty_mb_value.toml"
    big.write_text('description = "' + "x" * 50_000_000 + '"\n')
    made["fifty_mb_value"] = big
    comments = tmp_path / "fifty_mb_comments.toml"
    comments.write_text(("# " + "y" * 78 + "\n") * 625_000)
    made["fifty_mb_comments"] = comments
    long_key = tmp_path / "long_key.toml"
    long_key.write_text("[households]\n" + "k" * 200_000 + " = 1\n")
    made["long_key"] = long_key
    long_label = tmp_path / "long_label.toml"
    long_label.write_text('[sectors.care]\nlabel = "' + "x" * 200_000 + '"\n')
    made["long_label"] = long_label
    return made


def test_large_inputs_are_refused_with_a_short_message(tmp_path, capsys):
    out = tmp_path / "out"
    for name, path in made_inputs(tmp_path).items():
        code, message = run_sim(["run", str(path), "--out", str(out)], capsys)
        assert_refused(code, message, out, path.name)
        assert name != "long_label" or "sectors.care.label" in message


FLAG_CASES = {
    "out_is_a_file": (["run", BASELINE, "--out", BASELINE], ["is a file, not a directory"]),
    "out_under_a_file": (["run", BASELINE, "--out", f"{BASELINE}/sub"], ["not a directory"]),
    "sweep_out_is_a_file": (["sweep", TINY_SWEEP, "--out", BASELINE], ["not a directory"]),
    "workers_negative": (["sweep", TINY_SWEEP, "--workers", "-1"], ["from 1 to 1,024"]),
    "workers_zero": (["sweep", TINY_SWEEP, "--workers", "0"], ["from 1 to 1,024"]),
    "workers_huge": (["sweep", TINY_SWEEP, "--workers", "100000"], ["from 1 to 1,024"]),
    "workers_text": (["sweep", TINY_SWEEP, "--workers", "many"], ["whole number"]),
    "workers_long": (["sweep", TINY_SWEEP, "--workers", "9" * 100_000], ["chars"]),
    "steps_negative": (["run", BASELINE, "--steps", "-5"], ["from 1 to 2,400"]),
    "steps_huge": (["run", BASELINE, "--steps", "99999"], ["from 1 to 2,400"]),
    "seed_negative": (["run", BASELINE, "--seed", "-1"], ["whole number"]),
    "scheduler_nonsense": (["sweep", TINY_SWEEP, "--scheduler", "nonsense"], ["tcp://HOST:PORT"]),
    "scheduler_http": (["sweep", TINY_SWEEP, "--scheduler", "http://x:1"], ["tcp://HOST:PORT"]),
    "scheduler_empty_host": (["sweep", TINY_SWEEP, "--scheduler", "tcp://"], ["tcp://HOST:PORT"]),
    "set_without_equals": (["run", BASELINE, "--set", "labour.mobility"], ["key=value"]),
    "set_empty_key": (["run", BASELINE, "--set", "=5"], ["key=value"]),
    "set_unknown_key": (["run", BASELINE, "--set", "labour.mobilty=0.3"], ["did you mean"]),
    "set_underflow": (["run", BASELINE, "--set", "sectors.care.ai_share=1e-400"], [">= 1e-06"]),
    "set_nan": (["run", BASELINE, "--set", "labour.mobility=nan"], ["finite"]),
    "set_deep": (["run", BASELINE, "--set", "labour.mobility=" + "[" * 5000 + "]" * 5000], []),
    "set_long_value": (["run", BASELINE, "--set", "sectors.care.label=" + "x" * 100_000], []),
    "set_table_for_number": (["run", BASELINE, "--set", "run.steps.x=1"], ["run.steps"]),
    "max_memory_text": (["run", BASELINE, "--max-memory", "lots"], ["memory size"]),
    "max_memory_negative": (["run", BASELINE, "--max-memory=-1G"], ["memory size"]),
    "max_memory_too_small": (["run", BASELINE, "--max-memory", "10M"], ["--max-memory"]),
    "retry_failed_alone": (["sweep", TINY_SWEEP, "--retry-failed"], ["needs --resume"]),
    "timeout_zero": (["run", BASELINE, "--timeout", "0"], ["at most 30 days"]),
    "timeout_nan": (["sweep", TINY_SWEEP, "--timeout", "nan"], ["at most 30 days"]),
    "timeout_long": (["sweep", TINY_SWEEP, "--timeout", "9" * 100_000], ["chars"]),
    "unknown_flag_long": (["run", BASELINE, "--" + "z" * 100_000], ["characters"]),
    "scenario_missing": (["run", "/nonexistent/scenario.toml"], ["no such scenario file"]),
}


@pytest.mark.parametrize("case", sorted(FLAG_CASES))
def test_each_malformed_flag_is_refused(case, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # so a default out/ would show up here
    argv, words = FLAG_CASES[case]
    if "--out" not in argv:
        argv = [*argv, "--out", str(tmp_path / "out")]
    code, message = run_sim(argv, capsys)
    assert_refused(code, message, tmp_path / "out", *words)
    assert not (tmp_path / "out").exists() and not list(tmp_path.iterdir())


def test_special_files_are_refused_without_hanging(tmp_path, capsys):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    out = tmp_path / "out"
    for path in (fifo, Path("/dev/zero")):
        code, message = run_sim(["run", str(path), "--out", str(out)], capsys)
        assert_refused(code, message, out, str(path), "not a file")


def test_an_unreachable_scheduler_fails_fast(tmp_path, capsys):
    started = time.monotonic()
    out = tmp_path / "out"
    code, message = run_sim(["sweep", TINY_SWEEP, "--out", str(out), "--scheduler",
                             "tcp://127.0.0.1:9"], capsys)  # fmt: skip
    assert_refused(code, message, out, "cannot reach a Dask scheduler")
    assert time.monotonic() - started < 30
