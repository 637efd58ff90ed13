"""Emitting Qt signals from Python safely.

PySide6 6.12.0's `SignalInstance.emit()` returns True/False without taking a reference: every
emit from Python drops one reference to the bool singleton, and after a few thousand emits the
interpreter aborts ("bool_dealloc: deallocating True or False"). Every emit in app/ui goes
through `emit()`, which gives the reference back when the running PySide6 has the bug."""
import ctypes
import sys

from PySide6.QtCore import QObject, Signal


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
