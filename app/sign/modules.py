"""PKCS#11 modules: a catalogue of known paths per operating system, loading with clear errors,
and "detect" (try every known path, each in a separate process so a faulty module cannot crash
the application)."""
from __future__ import annotations

import json
import logging
import os
import struct
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from ..i18n import tr
from .errors import ModuleLoadError

log = logging.getLogger("vanthu.sign.modules")

_SYS32 = os.path.join(os.environ.get("SystemRoot", r"C:\Windows"), "System32")


@dataclass(frozen=True)
class KnownModule:
    vendor: str
    path: str
    confirmed: bool   # False: the file name is reported, not verified on a real device


# Paths per sys.platform prefix. Unconfirmed names are listed so that "detect" tries them; the
# administrator sets the exact path (settings key token.module) when a vendor ships another.
CATALOGUE: dict[str, list[KnownModule]] = {
    "win32": [
        KnownModule("Ban Cơ yếu Chính phủ (bit4id)", os.path.join(_SYS32, "bit4xpki.dll"), False),
        KnownModule("Ban Cơ yếu Chính phủ (bit4id)", os.path.join(_SYS32, "bit4ipki.dll"), False),
        KnownModule("VNPT-CA / ePass2003", os.path.join(_SYS32, "vnpt-ca_csp11.dll"), False),
        KnownModule("VNPT-CA / ePass2003", os.path.join(_SYS32, "ShuttleCsp11_3003.dll"), False),
        KnownModule("Viettel-CA", os.path.join(_SYS32, "viettel-ca_v6.dll"), False),
        KnownModule("BkavCA", os.path.join(_SYS32, "BkavCA.dll"), False),
        KnownModule("FPT-CA", os.path.join(_SYS32, "fpt-ca.dll"), False),
        KnownModule("SafeNet eToken", os.path.join(_SYS32, "eTPKCS11.dll"), True),
        KnownModule("OpenSC", os.path.join(_SYS32, "opensc-pkcs11.dll"), True),
        KnownModule("SoftHSM2 (thử nghiệm)", r"C:\SoftHSM2\lib\softhsm2-x64.dll", True),
    ],
    "linux": [
        KnownModule("Ban Cơ yếu Chính phủ (bit4id)", "/usr/lib/libbit4xpki.so", False),
        KnownModule("Ban Cơ yếu Chính phủ (bit4id)", "/usr/lib/bit4id/libbit4xpki.so", False),
        KnownModule("VNPT-CA / ePass2003", "/usr/lib/libcastle.so.1.0.0", False),
        KnownModule("VNPT-CA / ePass2003", "/usr/lib/libshuttle_p11v220.so", False),
        KnownModule("SafeNet eToken", "/usr/lib/libeTPkcs11.so", True),
        KnownModule("OpenSC", "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so", True),
        KnownModule("OpenSC", "/usr/lib/opensc-pkcs11.so", True),
        KnownModule("SoftHSM2 (thử nghiệm)", "/usr/lib/softhsm/libsofthsm2.so", True),
        KnownModule("SoftHSM2 (thử nghiệm)", "/usr/local/lib/softhsm/libsofthsm2.so", True),
    ],
    "darwin": [
        KnownModule("Ban Cơ yếu Chính phủ (bit4id)", "/Library/bit4id/pkcs11/libbit4xpki.dylib", False),
        KnownModule("VNPT-CA / ePass2003", "/usr/local/lib/libcastle.1.0.0.dylib", False),
        KnownModule("SafeNet eToken", "/usr/local/lib/libeTPkcs11.dylib", True),
        KnownModule("OpenSC", "/Library/OpenSC/lib/opensc-pkcs11.so", True),
        KnownModule("SoftHSM2 (thử nghiệm)", "/opt/homebrew/lib/softhsm/libsofthsm2.so", True),
        KnownModule("SoftHSM2 (thử nghiệm)", "/usr/local/lib/softhsm/libsofthsm2.so", True),
    ],
}


def known_modules(platform: str | None = None) -> list[KnownModule]:
    platform = platform or sys.platform
    for prefix, mods in CATALOGUE.items():
        if platform.startswith(prefix):
            return list(mods)
    return []


def process_bits() -> int:
    return struct.calcsize("P") * 8


def binary_bits(path) -> int | None:
    """32 or 64 from an ELF, PE or Mach-O header; None when the format is not recognized."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return None
    if head[:4] == b"\x7fELF" and len(head) > 4:
        return {1: 32, 2: 64}.get(head[4])
    if head[:2] == b"MZ" and len(head) >= 0x40:
        off = struct.unpack_from("<I", head, 0x3C)[0]
        if off + 6 <= len(head) and head[off:off + 4] == b"PE\0\0":
            machine = struct.unpack_from("<H", head, off + 4)[0]
            return {0x14C: 32, 0x8664: 64, 0xAA64: 64, 0x1C4: 32}.get(machine)
    if head[:4] in (b"\xce\xfa\xed\xfe", b"\xfe\xed\xfa\xce"):
        return 32
    if head[:4] in (b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf"):
        return 64
    return None


def _arch_error(path, bits) -> ModuleLoadError:
    return ModuleLoadError(
        tr("Thư viện token {p} là bản {b} bit, không dùng được với ứng dụng {a} bit. "
           "Hãy cài bản {a} bit của trình điều khiển token.").format(p=path, b=bits, a=process_bits()),
        f"architecture mismatch: module {bits}-bit, process {process_bits()}-bit")


def load(path: str):
    """Load (once per process) and return the python-pkcs11 library object, or raise
    ModuleLoadError with a message the clerk can act on."""
    import pkcs11
    from pkcs11.exceptions import PKCS11Error

    if not path:
        raise ModuleLoadError(tr("Chưa chọn thư viện token (PKCS#11). Hãy chạy «vanthu token detect» "
                                 "hoặc đặt thiết lập token.module."))
    if not os.path.isfile(path):
        raise ModuleLoadError(tr("Không tìm thấy thư viện token {p}. Trình điều khiển token đã được cài chưa?")
                              .format(p=path), f"missing module {path}")
    bits = binary_bits(path)
    if bits and bits != process_bits():
        raise _arch_error(path, bits)
    try:
        return pkcs11.lib(path)
    except (PKCS11Error, OSError, RuntimeError) as exc:
        text = str(exc)
        low = text.lower()
        log.warning("PKCS#11 module %s failed to load: %s", path, text)
        if any(s in low for s in ("wrong elf class", "not a valid win32", "winerror 193",
                                  "incompatible architecture", "wrong architecture")):
            raise _arch_error(path, bits or "?") from exc
        if "c_getfunctionlist" in low or "undefined symbol" in low or "function list" in low:
            raise ModuleLoadError(tr("Tệp {p} không phải thư viện PKCS#11 của token.").format(p=path), text) from exc
        raise ModuleLoadError(tr("Không nạp được thư viện token {p}: {e}").format(p=path, e=text), text) from exc


@dataclass
class ProbeResult:
    path: str
    vendor: str
    ok: bool
    message: str            # clerk-facing: what the module is, or why it failed
    tokens: list            # token labels seen (initialized tokens only)
    library: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def _probe_in_process(path: str) -> dict:
    from .tokens import list_tokens
    lib = load(path)
    toks = list_tokens(path)
    return {"ok": True, "library": f"{lib.manufacturer_id} {lib.library_description}".strip(),
            "tokens": [t.label for t in toks]}


def probe(path: str, vendor: str = "", timeout: float = 15.0) -> ProbeResult:
    """Load `path` in a child process (a crashing module crashes only the child)."""
    if not os.path.isfile(path):
        return ProbeResult(path, vendor, False, tr("không có tệp"), [])
    bits = binary_bits(path)
    if bits and bits != process_bits():
        return ProbeResult(path, vendor, False, _arch_error(path, bits).message, [])
    if getattr(sys, "frozen", False):   # packaged app: no interpreter to run a child with
        try:
            d = _probe_in_process(path)
            return ProbeResult(path, vendor, True, d["library"], d["tokens"], d["library"])
        except Exception as exc:  # noqa: BLE001 - any failure is reported, never raised
            return ProbeResult(path, vendor, False, getattr(exc, "message", str(exc)), [])
    try:
        cp = subprocess.run([sys.executable, "-m", "app.sign.modules", "--probe", path],
                            capture_output=True, timeout=timeout, text=True, encoding="utf-8",
                            cwd=str(Path(__file__).resolve().parents[2]))
    except subprocess.TimeoutExpired:
        return ProbeResult(path, vendor, False, tr("thư viện không trả lời sau {s} giây").format(s=int(timeout)), [])
    try:
        d = json.loads(cp.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        log.warning("probe of %s ended with code %s: %s", path, cp.returncode, cp.stderr[-500:])
        return ProbeResult(path, vendor, False,
                           tr("thư viện làm dừng tiến trình thử (mã {c})").format(c=cp.returncode), [])
    if d.get("ok"):
        return ProbeResult(path, vendor, True, d.get("library", ""), d.get("tokens", []), d.get("library", ""))
    return ProbeResult(path, vendor, False, d.get("message", ""), [])


def detect(extra_paths=(), platform: str | None = None, progress=None, cancelled=None) -> list[ProbeResult]:
    """Try the administrator's paths, then every catalogue path present on this machine."""
    candidates = [("", p) for p in extra_paths if p]
    candidates += [(m.vendor, m.path) for m in known_modules(platform)]
    seen: set[str] = set()
    results = []
    present = []
    for v, p in candidates:
        if p not in seen:
            seen.add(p)
            if os.path.isfile(p):
                present.append((v, p))
    for i, (vendor, path) in enumerate(present):
        if cancelled and cancelled():
            break
        results.append(probe(path, vendor))
        if progress:
            progress(i + 1, len(present))
    return results


def _main(argv) -> int:  # child process of probe()
    if len(argv) == 2 and argv[0] == "--probe":
        try:
            d = _probe_in_process(argv[1])
        except Exception as exc:  # noqa: BLE001
            d = {"ok": False, "message": getattr(exc, "message", str(exc))}
        print(json.dumps(d, ensure_ascii=False))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
