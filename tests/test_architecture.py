"""The layer rule (docs/adr/0007-layers.md): imports run one way, kernel <- referrals <- reviews <- imr <-
site, with no import cycle between modules and no other route from the kernel to an app."""

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("scr_portal", "referrals", "reviews", "imr", "portal_site")
APPS = ("referrals", "reviews", "imr", "portal_site")


def test_the_import_contract_holds():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=REPO, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stdout[-4000:]
    assert "1 kept, 0 broken" in result.stdout


def _cycles(graph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycle_between_modules(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO))
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    assert _cycles(graph) == []


def test_a_cycle_would_be_found():
    class Graph:
        modules = {"a", "b", "c"}
        edges = {"a": {"b"}, "b": {"a"}, "c": {"a"}}

        def find_modules_directly_imported_by(self, module):
            return self.edges[module]

    assert _cycles(Graph()) == [["a", "b"]]


def _kernel_sources():
    """The kernel's code. Settings name the apps to install them; the one beat schedule names each periodic
    task by its Celery name, a message route rather than an import (docs/adr/0007-layers.md)."""
    for path in sorted((REPO / "scr_portal").rglob("*.py")):
        parts = path.relative_to(REPO).parts
        if "migrations" in parts or "settings" in parts or parts == ("scr_portal", "schedule.py"):
            continue
        yield path


@pytest.mark.parametrize("path", list(_kernel_sources()), ids=lambda p: str(p.relative_to(REPO)))
def test_the_kernel_reaches_no_app_by_name(path):
    """No `apps.get_model("reviews", …)`, `import_module("imr…")` or dotted path into an app: the kernel
    learns of the apps only through its registries."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            value = node.value
            assert not value.startswith(tuple(f"{app}." for app in APPS)), f"{path}: {value!r}"
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "get_model" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant):
                assert str(first.value).split(".")[0] not in APPS, f"{path}: get_model({first.value!r})"


def test_clock_documents_and_audit_are_apps_whose_tasks_celery_discovers():
    from django.apps import apps

    from scr_portal.celery import app as celery_app

    for label in ("clock", "documents", "audit"):
        assert apps.get_app_config(label).name == f"scr_portal.{label}"
    celery_app.loader.import_default_modules()
    for task in (
        "scr_portal.clock.tasks.reminder_sweep_task",
        "scr_portal.documents.tasks.render_document_task",
        "scr_portal.audit.tasks.retention_due_task",
        "scr_portal.notify.send_notice",
        "scr_portal.scanning.scan_pending_files",
    ):
        assert task in celery_app.tasks
    assert (REPO / "scr_portal" / "celery.py").read_text().count("autodiscover_tasks(") == 1
