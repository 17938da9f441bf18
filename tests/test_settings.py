"""Settings: every threshold is typed, has a default and says why (a docstring right under it)."""

from __future__ import annotations

import ast
import dataclasses

import pytest
from conftest import ROOT

from govreport_core.settings import SETTINGS, Settings


def test_every_setting_is_typed_and_gives_its_reason() -> None:
    tree = ast.parse((ROOT / "govreport_core" / "settings.py").read_text(encoding="utf-8"))
    (cls,) = [node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "Settings"]
    undocumented = [stmt.target.id for stmt, after in zip(cls.body, [*cls.body[1:], None], strict=True)
                    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
                    and not (isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant))]
    assert undocumented == []
    assert all(f.type == "int" for f in dataclasses.fields(Settings)) and Settings() == SETTINGS


def test_settings_are_frozen() -> None:
    """One value for every stage: a stage cannot change a threshold under the others."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        SETTINGS.max_label_chars = 1  # type: ignore[misc]
