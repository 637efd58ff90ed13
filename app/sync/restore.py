"""Restore a workstation whose disk died from the provincial server: registers, every entry
with all its revisions, counters and files. Only into an empty data folder; nothing is queued
back to the server. The restored workstation takes the identity that owns the registers; the hub
delivers the last months' received packages again so that pending ones are not lost."""
import logging
import os
import tempfile

from ..errors import ValidationError
from ..i18n import tr
from ..store import exchange as xstore
from ..store import files
from .transport import require_provincial

log = logging.getLogger(__name__)


def restore_from_server(store, settings, transport=None, progress=None, cancelled=None,
                        workstation: str | None = None, redeliver_days: int = 90, mirror=None) -> dict:
    """Restore from the provincial server (provincial.url). `transport` is accepted for
    compatibility and not used: the platform has no restore."""
    if xstore.has_entries(store):
        raise ValidationError(tr("Chỉ khôi phục được vào một thư mục dữ liệu trống (đã có văn bản trong sổ)."))
    own = mirror is None
    if own:
        mirror = require_provincial(settings, workstation=store.workstation_id)
    try:
        redelivered = 0
        snap = mirror.snapshot()
        if redeliver_days:
            # received packages come back through the inbox; accepted ones are recognized there
            redelivered = mirror.redeliver(redeliver_days)
        atts = snap["attachments"]
        total = len(atts) + 1
        tmp_dir = store.files_dir / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        for i, a in enumerate(atts):
            if cancelled and cancelled():
                raise ValidationError(tr("Đã hủy khôi phục."))
            try:
                present = files.path_for(store, a["sha256"]).exists()
            except ValidationError:
                continue
            if not present:
                fd, tmp = tempfile.mkstemp(dir=tmp_dir)
                try:
                    with os.fdopen(fd, "wb") as out:
                        mirror.get_file(a["sha256"], out)
                    sha, _ = files.put_file(store, tmp)
                finally:
                    if os.path.exists(tmp):
                        os.unlink(tmp)
                if sha != a["sha256"]:
                    raise ValidationError(tr("Tệp tải về từ máy chủ không khớp mã băm."), a["sha256"])
            if progress:
                progress(i + 1, total)
    finally:
        if own:
            mirror.close()
    try:
        result = xstore.apply_snapshot(store, snap, workstation)
    except xstore.SnapshotError as exc:
        raise ValidationError(tr("Dữ liệu trên máy chủ thiếu sổ «{c}».").format(c=exc.args[0])) from exc
    log.info("restored from server: %s", result)
    result["redelivered"] = redelivered if redeliver_days else 0
    if progress:
        progress(total, total)
    return result

