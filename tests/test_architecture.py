"""The seams of docs/architecture.md, checked on the source itself."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from lms import signals

LMS = Path(__file__).resolve().parent.parent / "lms"
UNIT_OF_WORK = LMS / "uow.py"


def _sources():
    for path in sorted(LMS.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_only_the_unit_of_work_commits_or_rolls_back():
    offenders = []
    for path, tree in _sources():
        if path == UNIT_OF_WORK:
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("commit", "rollback")
                and not node.args
            ):
                offenders.append(f"{path.relative_to(LMS.parent)}:{node.lineno} {node.func.attr}()")
    assert offenders == []


def test_no_project_import_hides_inside_a_function():
    offenders = []
    for path, tree in _sources():
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                module = node.module if isinstance(node, ast.ImportFrom) else None
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if (module or "").startswith("lms") or any(n.startswith("lms") for n in names):
                    offenders.append(f"{path.relative_to(LMS.parent)}:{node.lineno}")
    assert offenders == []


def test_the_layers_hold():
    """import-linter's contracts in pyproject.toml (layers, no cycles)."""
    from importlinter import cli

    assert cli.lint_imports(config_filename=str(LMS.parent / "pyproject.toml"), no_cache=True) == 0


@pytest.mark.parametrize("signal", signals.ALL, ids=lambda s: s.name)
def test_every_signal_documents_its_payload(signal):
    assert signal.__doc__ and ":" in inspect.cleandoc(signal.__doc__)
