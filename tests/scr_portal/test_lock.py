"""Installed versions come from the lock only: uv.lock, exported with hashes to requirements/ for pip
(requirements/README.md, docs/adr/0006-lock-file.md)."""

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
LOCKS = {name: REPO / "requirements" / f"{name}.txt" for name in ("main", "dev")}
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==([^\s\\;]+)", re.MULTILINE)


def pins(name: str, *, this_platform: bool = False) -> dict[str, str]:
    """Name → version; with `this_platform`, only the entries whose marker applies here (colorama is for
    Windows, for example)."""
    found = {}
    for line in LOCKS[name].read_text().splitlines():
        match = PIN.match(line)
        if not match:
            continue
        marker = line.split(";", 1)[1].rstrip(" \\") if ";" in line else ""
        if this_platform and marker and not Requirement(f"x; {marker}").marker.evaluate():
            continue
        found[canonicalize_name(match[1])] = match[3]
    return found


def declared(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    listed = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [Requirement(line) for line in listed]


def test_every_locked_package_is_pinned_exactly_with_hashes():
    for name, path in LOCKS.items():
        text = path.read_text()
        entries = [block for block in re.split(r"\n(?=[A-Za-z0-9])", text) if "==" in block]
        assert entries, name
        for entry in entries:
            assert "--hash=sha256:" in entry, f"{name}: {entry.splitlines()[0]} has no hash"


def test_each_dependency_of_pyproject_is_in_the_lock_within_its_range():
    for lock, requirements in [("main", declared()), ("dev", declared() + declared("dev"))]:
        locked = pins(lock)
        for requirement in requirements:
            version = locked.get(canonicalize_name(requirement.name))
            assert version, f"{requirement.name} is missing from requirements/{lock}.txt: run `make lock`"
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{requirement.name}=={version} in requirements/{lock}.txt is outside {requirement.specifier}"
            )


def test_the_image_lock_takes_the_same_versions_as_the_test_lock():
    dev = pins("dev")
    assert {name: version for name, version in pins("main").items() if dev.get(name) != version} == {}


def test_this_environment_runs_exactly_the_locked_versions():
    """The suite itself runs on what the lock installs (a long-lived .venv would hide a fresh install)."""
    for name, version in pins("dev", this_platform=True).items():
        installed = metadata.version(name)
        assert installed == version, f"{name}: installed {installed}, locked {version}"


def test_the_lock_bans_the_unmaintained_django_fsm():
    assert "django-fsm" not in pins("dev") and "django-fsm-2" in pins("dev")


def test_the_pip_files_are_exactly_what_uv_lock_exports():
    """uv.lock is the one source: requirements/*.txt are its export, never edited by hand (`make lock`)."""
    uv = Path(sys.executable).with_name("uv")
    base = [str(uv), "export", "--frozen", "--no-dev", "--no-emit-project", "--format", "requirements-txt"]
    for name, extra in [("dev", ["--extra", "dev"]), ("main", [])]:
        exported = subprocess.run(  # noqa: S603
            [*base, "--no-header", "--quiet", *extra], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout
        assert exported == LOCKS[name].read_text(), (
            f"requirements/{name}.txt is not uv.lock's export: make lock"
        )
