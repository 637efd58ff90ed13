"""The first-run assistant: one calm dialog for the settings the IT officer's machine-wide file
did not fill in (organization name and identifier, server address and dialect, token module).
Fields locked by that file are shown read-only. The rules live in app/firstrun.py (no Qt).

    from ..firstrun import needs_first_run
    from .first_run import FirstRunDialog
    if needs_first_run(settings):
        FirstRunDialog(settings, parent).exec()
"""
from __future__ import annotations

import os

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from .. import firstrun
from ..errors import ValidationError
from .i18n import tr
from .qtfix import current_data

ERROR_STYLE = "color: #b3261e;"


class FirstRunDialog(QDialog):
    def __init__(self, settings, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(tr("Cài đặt lần đầu — Văn thư"))
        self.setObjectName("firstRunDialog")
        self.setMinimumWidth(620)
        self.fields = {f.key: f for f in firstrun.fields(settings)}
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self._worker = None

        intro = QLabel(tr("Chào mừng! Trước khi làm việc, hãy cho biết cơ quan của bạn. Địa chỉ trục liên thông "
                          "và token ký số có thể để trống và đặt sau trong Cài đặt. Những mục quản trị viên "
                          "đã đặt sẵn hiển thị mờ, không sửa được."))
        intro.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.ExpandingFieldsGrow)
        for key, f in self.fields.items():
            editor = self._make_editor(f)
            self.editors[key] = editor
            err = QLabel()
            err.setObjectName(f"error:{key}")
            err.setStyleSheet(ERROR_STYLE)
            err.setWordWrap(True)
            err.hide()
            self.errors[key] = err
            box = QVBoxLayout()
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(editor if key != "token.module" else self._token_row(editor))
            hint = QLabel(tr("Do quản trị viên đặt sẵn.") if f.locked else f.hint)
            hint.setStyleSheet("color: palette(mid);")
            hint.setWordWrap(True)
            box.addWidget(hint)
            box.addWidget(err)
            holder = QWidget()
            holder.setLayout(box)
            label = QLabel(f.label + (" *" if f.required else ""))
            label.setBuddy(editor)
            form.addRow(label, holder)
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(tr("Lưu và bắt đầu"), QDialogButtonBox.AcceptRole)
        self.later_button = buttons.addButton(tr("Để sau"), QDialogButtonBox.RejectRole)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        first = next((e for k, e in self.editors.items() if e.isEnabled()), None)
        if first is not None:
            first.setFocus()

    # ---------------------------------------------------------------- editors

    def _make_editor(self, f) -> QWidget:
        if f.key == "server.dialect":
            w = QComboBox()
            for d in firstrun.dialects():
                w.addItem(d, d)
            i = w.findData(f.value or "vxp")
            w.setCurrentIndex(max(i, 0))
        elif f.key == "token.module":
            w = QComboBox()
            w.setEditable(True)
            w.setInsertPolicy(QComboBox.NoInsert)
            w.addItem("", "")
            for vendor, path in firstrun.token_module_choices():
                w.addItem(f"{vendor} — {path}", path)
            self._set_module(w, f.value)
            w.lineEdit().setPlaceholderText(tr("đường dẫn thư viện PKCS#11 (.so, .dll)"))
        else:
            w = QLineEdit(f.value)
            if f.key == "org.id":
                w.setPlaceholderText("000.00.00.H53")
                w.setMaxLength(13)
            elif f.key == "server.url":
                w.setPlaceholderText("https://")
        w.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        w.setObjectName(f"field:{f.key}")
        if f.locked:
            w.setEnabled(False)
            w.setToolTip(tr("Thiết lập này do quản trị viên khóa trong tệp thiết lập chung của máy."))
        return w

    def _token_row(self, combo: QComboBox) -> QWidget:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(combo, 1)
        self.browse_button = QPushButton(tr("Chọn tệp…"))
        self.detect_button = QPushButton(tr("Dò tìm"))
        self.browse_button.clicked.connect(self._browse)
        self.detect_button.clicked.connect(self._detect)
        for b in (self.browse_button, self.detect_button):
            b.setEnabled(combo.isEnabled())
            row.addWidget(b)
        w = QWidget()
        w.setLayout(row)
        return w

    @staticmethod
    def _set_module(combo: QComboBox, path: str) -> None:
        i = combo.findData(path) if path else 0
        if i >= 0:
            combo.setCurrentIndex(i)
        else:
            combo.setEditText(path)

    def _browse(self) -> None:
        start = os.path.dirname(self.value("token.module")) or ("C:\\Windows\\System32" if os.name == "nt" else "/usr/lib")
        path, _ = QFileDialog.getOpenFileName(self, tr("Chọn thư viện token"), start,
                                              tr("Thư viện PKCS#11 (*.so *.so.* *.dll *.dylib);;Mọi tệp (*)"))
        if path:
            self._set_module(self.editors["token.module"], path)

    def _detect(self) -> None:
        from ..sign import modules
        from .workers import Worker
        self.detect_button.setEnabled(False)
        self.detect_button.setText(tr("Đang dò…"))
        worker = Worker(modules.detect, [self.value("token.module")], label=tr("Dò tìm token"))
        worker.signals.finished.connect(self._detected)
        worker.signals.failed.connect(lambda exc, tb: self._detected([]))
        self._worker = worker
        QThreadPool.globalInstance().start(worker)

    def _detected(self, results) -> None:
        self.detect_button.setEnabled(True)
        self.detect_button.setText(tr("Dò tìm"))
        combo = self.editors["token.module"]
        good = [r for r in results or [] if r.ok]
        if not good:
            self.show_error("token.module", tr("Không tìm thấy thư viện token nào dùng được trên máy này."))
            return
        self.show_error("token.module", "")
        for r in good:
            if combo.findData(r.path) < 0:
                combo.addItem(f"{r.vendor or r.library} — {r.path}", r.path)
        with_token = next((r for r in good if r.tokens), good[0])
        self._set_module(combo, with_token.path)

    # ---------------------------------------------------------------- values and saving

    def value(self, key: str) -> str:
        w = self.editors[key]
        if isinstance(w, QComboBox):
            if w.isEditable():
                text = w.currentText().strip()
                data = current_data(w)
                return data if data and w.itemText(w.currentIndex()) == text else text
            return current_data(w) or ""
        return w.text().strip()

    def values(self) -> dict:
        """The editable values (locked keys are left out: the machine file decides them)."""
        return {k: self.value(k) for k, f in self.fields.items() if not f.locked}

    def show_error(self, key: str, message: str) -> None:
        label = self.errors[key]
        label.setText(message)
        label.setVisible(bool(message))

    def save(self) -> None:
        values = self.values()
        problems = firstrun.validate(values)
        for key in self.fields:
            self.show_error(key, problems.get(key, ""))
        self.general_error.hide()
        self.adjustSize()
        if problems:
            self.editors[next(k for k in self.fields if k in problems)].setFocus(Qt.OtherFocusReason)
            return
        try:
            firstrun.apply(self.settings, values)
        except ValidationError as exc:
            self.general_error.setText(exc.message)
            self.general_error.show()
            return
        self.accept()


def run_if_needed(data_dir, parent=None) -> bool:
    """The hook for app/ui/main.py: show the assistant when the organization is not set yet.
    Returns True when the clerk saved it; False when not needed, postponed, or the settings files
    are unreadable (the main window and the self-test report that)."""
    from ..errors import VanthuError
    from ..settings import Settings
    try:
        settings = Settings(data_dir)
    except VanthuError:
        return False
    if not firstrun.needs_first_run(settings):
        return False
    return FirstRunDialog(settings, parent).exec() == QDialog.Accepted
