"""Content-addressed, immutable file store: files/ab/<sha256>. Written to a temporary file,
fsynced, then renamed, so a crash never leaves a half-written file under its hash."""
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from ..errors import StorageError, ValidationError
from ..i18n import tr
from .db import PathArg, Store, translate_sqlite_error

CHUNK = 1 << 20
MAX_FILE_SIZE = 2 << 30


def path_for(store: Store, sha256: str) -> Path:
    if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
        raise ValidationError(tr("Mã băm tệp không hợp lệ."), sha256)
    return store.files_dir / sha256[:2] / sha256


def _fsync_dir(path: Path) -> None:
    if os.name == "posix":
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def put_stream(store: Store, stream: BinaryIO, max_size: int = MAX_FILE_SIZE) -> tuple[str, int]:
    """Store the bytes read from `stream`; returns (sha256, size). Idempotent."""
    tmp_dir = store.files_dir / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp = tempfile.mkstemp(dir=tmp_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_size:
                    raise ValidationError(tr("Tệp quá lớn (giới hạn {m} MB).").format(m=max_size >> 20))
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        final = path_for(store, sha)
        if final.exists():
            os.unlink(tmp)
        else:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, final)
            os.chmod(final, 0o444)
            _fsync_dir(final.parent)
        return sha, size
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise translate_sqlite_error(exc) or StorageError(
                tr("Không ghi được tệp vào thư mục dữ liệu."), str(exc)) from exc
        raise


def stored_sha(store: Store, path: PathArg) -> str | None:
    """The SHA-256 of `path` when it is a file of this content store (files/ab/<sha256>), whose
    name is its hash: such a file needs no copy and no hashing. None for any other path."""
    try:
        p = Path(path).resolve()
        root = store.files_dir.resolve()
    except (OSError, RuntimeError):
        return None
    name = p.name
    if (p.parent.parent == root and p.parent.name == name[:2] and len(name) == 64
            and all(c in "0123456789abcdef" for c in name) and p.is_file()):
        return name
    return None


def put_file(store: Store, path: PathArg) -> tuple[str, int]:
    try:
        with open(path, "rb") as f:
            return put_stream(store, f)
    except FileNotFoundError as exc:
        raise ValidationError(tr("Không tìm thấy tệp {p}.").format(p=path), str(exc)) from exc


def put_bytes(store: Store, data: bytes) -> tuple[str, int]:
    import io
    return put_stream(store, io.BytesIO(data))


def open_file(store: Store, sha256: str) -> BinaryIO:
    return open(path_for(store, sha256), "rb")


def copy_out(store: Store, sha256: str, dest: PathArg) -> None:
    shutil.copyfile(path_for(store, sha256), dest)


def discard_new(store: Store, shas: Iterable[str], since: float) -> None:
    """Remove files stored since `since` (time.time()) for a registration that was then refused:
    nothing refers to them, and a refusal leaves the data folder as it was. A file that existed
    before, or that an attachment refers to, is kept."""
    for sha in set(shas):
        p = path_for(store, sha)
        try:
            if p.stat().st_ctime < since - 0.05:      # coarse file-system clock: 50 ms of slack
                continue
            if store.conn.execute("SELECT 1 FROM attachments WHERE sha256 = ? LIMIT 1", (sha,)).fetchone():
                continue
            os.chmod(p, 0o644)
            p.unlink()
            _fsync_dir(p.parent)
        except OSError:
            pass
