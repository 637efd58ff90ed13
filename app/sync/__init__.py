"""Exchange with the national platform (VXP) and the optional provincial server: edXML packages,
transports, the outbox worker, the inbox, credentials. Nothing here imports Qt; long work takes
progress/cancelled."""
from .. import settings as _settings

# Settings this package reads (until app/settings.py lists them itself: requested from i12).
_settings.KEYS.setdefault("provincial.url", (str, None, "Địa chỉ máy chủ tỉnh (sao lưu sổ, khôi phục); "
                                                        "để trống nếu không có"))
_settings.KEYS.setdefault("provincial.ca_bundle", (str, None, "Tệp CA bổ sung để xác thực TLS của máy chủ tỉnh"))
