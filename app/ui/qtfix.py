"""Workarounds for reference-count bugs of PySide6 6.12.0 that abort the interpreter.

1. `SignalInstance.emit()` returns True/False without taking a reference: every emit from
   Python drops one reference to the bool singleton, and after a few thousand emits Python aborts
   ("bool_dealloc: deallocating True or False"). Every emit in app/ui goes through `emit()`.
2. An invalid QVariant converted to Python (e.g. `QComboBox.currentData()` of an item without
   data, `QStandardItem.data(role)` never set, `QModelIndex.data()` of a role the model does not
   answer) returns None without taking a reference ("none_dealloc: deallocating None").
   Every such read in app/ui goes through `current_data()` / `item_data()`.
Each helper gives the reference back only when the running PySide6 is found to have the bug."""
import ctypes
import sys

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QStandardItem


class _Probe(QObject):
    ping = Signal()


def _emit_leaks() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    result = None
    for _ in range(32):
        result = probe.ping.emit()
    del result
    return before - sys.getrefcount(True) >= 16


LEAKS = _emit_leaks()
if LEAKS:  # undo the probe's own damage
    for _ in range(32):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))


def emit(signal, *args):
    result = signal.emit(*args)
    if LEAKS and isinstance(result, bool):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
    return result


def _variant_none_leaks() -> bool:
    item = QStandardItem()
    before = sys.getrefcount(None)
    for _ in range(32):
        item.data(Qt.UserRole)
    return before - sys.getrefcount(None) >= 16


NONE_LEAKS = _variant_none_leaks()
if NONE_LEAKS:
    for _ in range(32):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))


def _fix(value):
    if value is None and NONE_LEAKS:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
    return value


def current_data(combo):
    """`combo.currentData()` without losing a reference to None."""
    return _fix(combo.currentData())


def item_data(obj, role=Qt.UserRole):
    """`obj.data(role)` (QListWidgetItem, QTableWidgetItem, QModelIndex...) likewise."""
    return _fix(obj.data(role))


def guard(widget, fn):
    """`fn` wrapped to do nothing once `widget` is deleted: for lambdas connected to a worker's
    signals when the window may be closed before the worker finishes (Qt disconnects bound
    methods of a deleted receiver by itself, but not lambdas)."""
    import shiboken6

    def call(*args):
        if widget is None or shiboken6.isValid(widget):
            return fn(*args)
        return None
    return call
