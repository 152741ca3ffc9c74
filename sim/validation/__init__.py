"""Validation: score the economy against a sourced table of targets (``sim validate``).

Modules: ``targets`` (the table and its schema), ``statistics`` (pure functions with
their formulas), ``measures`` (from a run to each target's value), ``scoring``
(seeds, pass rule, score), ``report`` (table, JSON, Markdown, figures), ``commands``
(the CLI). The table itself is ``targets.toml``; see docs/validation.md.
"""
