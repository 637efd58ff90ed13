"""Setting up registers (sổ đăng ký): create one with its own gapless series, set the agency
notation used in its references, list them with their last numbers."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..domain.records import Kind, Register
from ..errors import ValidationError
from ..i18n import tr
from ..store import registers
from ..store.db import Store


@dataclass(frozen=True)
class RegisterCounters:
    """A register and the last number used in each year of its series."""

    register: Register
    counters: dict[int, int]

    def to_json(self) -> dict[str, Any]:
        out = self.register.to_json()
        out["counters"] = dict(self.counters)
        return out


def create_register(store: Store, code: str, kind: Kind | str, title: str, *, notation: str | None = None,
                    doc_types: Sequence[str] = (), with_year: bool = False) -> Register:
    """A new register `code` of `kind` (numbers from 01 each year); `doc_types` limits it to
    those document types (a separate series, e.g. decisions), `with_year` prints the year in
    its numbers (legal normative documents)."""
    try:
        kind = Kind(kind)
    except ValueError:
        raise ValidationError(tr("Loại sổ phải là incoming, outgoing hoặc copy."), field="kind",
                              code="bad_kind") from None
    made = registers.create(store, code, str(kind), title, (notation or "").strip() or None,
                            list(doc_types), with_year)
    return registers.register_by_id(store, int(made["id"]))


def set_notation(store: Store, register: str, notation: str) -> Register:
    """Set the agency notation (e.g. UBND) that the references of `register` carry."""
    made = registers.set_notation(store, register, notation)
    return registers.register_by_id(store, int(made["id"]))


def list_registers(store: Store) -> list[RegisterCounters]:
    """Every register with its last number per year."""
    return [RegisterCounters(r, registers.counters(store, r.id)) for r in registers.all_registers(store)]
