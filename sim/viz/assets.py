"""Solara's browser assets for machines without access to its CDN (classrooms, CI).

Core object: :func:`ensure_assets`.

Solara's page loads JavaScript and CSS packages through its CDN proxy, which serves
them from ``solara.settings.assets.proxy_cache_dir`` and otherwise fetches them from
jsdelivr. Where only package registries are reachable, the packages the page template
names are fetched once with the ordinary npm client (``npm pack``) into that
directory. ``pip install solara-assets`` provides the rest (fonts, require.js, ...).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

CDN_REFERENCE = re.compile(
    r"(?:\{\{cdn\}\}|getCdn\(\)\})/(?P<package>@?[\w.-]+(?:/[\w.-]+)?)@(?P<version>[\w.-]+)/"
)
"""A package reference in Solara's page template or its components' front-end code."""


def template_packages() -> set[tuple[str, str]]:
    """(package, version) of every npm package Solara's page and Markdown, and the
    app's charts (Vega, Vega-Lite, vega-embed), load."""
    import solara

    root = Path(solara.__file__).parent
    sources = [
        root / "server" / "templates" / "solara.html.j2",
        root / "components" / "markdown.py",
        Path(__file__).with_name("chart.vue"),
    ]
    text = "\n".join(path.read_text() for path in sources)
    return {(m["package"], m["version"]) for m in CDN_REFERENCE.finditer(text)}


def cache_dir() -> Path:
    """Where Solara's CDN proxy looks for assets first."""
    from solara.server import settings

    return Path(settings.assets.proxy_cache_dir)


def missing_packages() -> list[tuple[str, str]]:
    """Template packages not in the proxy cache."""
    root = cache_dir()
    return sorted(p for p in template_packages() if not (root / f"{p[0]}@{p[1]}").is_dir())


def fetch_package(package: str, version: str, root: Path) -> Path:
    """Download one npm package with ``npm pack`` and unpack it as ``root/package@version``."""
    target = root / f"{package}@{version}"
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            ["npm", "pack", "--silent", f"{package}@{version}"],
            cwd=scratch, check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        (tarball,) = Path(scratch).glob("*.tgz")
        with tarfile.open(tarball) as archive:
            archive.extractall(scratch, filter="data")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(Path(scratch) / "package", target)
    return target


def ensure_assets() -> list[str]:
    """Fetch every missing template package; return what could not be fetched (empty
    if the page has all it needs or if npm is absent and the CDN must serve it)."""
    missing = missing_packages()
    if not missing or shutil.which("npm") is None:
        return [f"{p}@{v}" for p, v in missing]
    failed = []
    for package, version in missing:
        try:
            fetch_package(package, version, cache_dir())
        except (subprocess.SubprocessError, OSError, ValueError):
            failed.append(f"{package}@{version}")
    return failed
