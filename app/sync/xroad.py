"""The national platform's request signing, as the SDKVXP 2.0.x Java client does it.

The client keeps a java.util.HashMap of header values (timestamp, systemid, Content-Type and the
call's parameters). For each entry, in the map's iteration order, it sends `XroadVnpt-<name>:
value` and adds the pair to a Gson JsonObject; then it sends

    XroadVnpt-sign-header-key   the names WITHOUT the prefix joined by ";"
    XroadVnpt-sign-header       the compact JSON {"XroadVnpt-<name>":"value",...}
    XroadVnpt-hash-header       lowercase hex HMAC-SHA256 of that JSON's UTF-8 bytes with the secret
    XroadVnpt-version           3.0.201608
    User-Agent                  JAVASDKAgent/1.0.0 XRoad/VPCP

We reproduce the HashMap order and Gson's escaping so that our requests are byte for byte what the
SDK would send. A server must verify the JSON exactly as received (verify_request): its order is
not fixed. Used by the workstation's client and by the reference hub."""
import hashlib
import hmac
import json
from datetime import datetime, timedelta

PREFIX = "XroadVnpt-"
SIGN_KEY = PREFIX + "sign-header-key"
SIGN = PREFIX + "sign-header"
HASH = PREFIX + "hash-header"
VERSION_HEADER = PREFIX + "version"
VERSION = "3.0.201608"
USER_AGENT = "JAVASDKAgent/1.0.0 XRoad/VPCP"
TIMESTAMP_FORMAT = "ddMMyyyy'T'HHmmss+SSSS"


# ------------------------------------------------------------------ Java compatibility

def java_string_hash(s: str) -> int:
    """java.lang.String.hashCode (UTF-16 code units, 32-bit signed overflow)."""
    h = 0
    data = s.encode("utf-16-be")
    for i in range(0, len(data), 2):
        h = (31 * h + ((data[i] << 8) | data[i + 1])) & 0xFFFFFFFF
    return h - (1 << 32) if h & 0x80000000 else h


def java_hashmap_order(keys) -> list[str]:
    """Iteration order of a java.util.HashMap<String, String> filled with `keys` in this order
    (default capacity 16, load factor 0.75; a bucket keeps insertion order)."""
    keys = list(dict.fromkeys(keys))
    capacity = 16
    while len(keys) > capacity * 0.75:
        capacity *= 2

    def bucket(k: str) -> int:
        h = java_string_hash(k) & 0xFFFFFFFF
        return (h ^ (h >> 16)) & (capacity - 1)
    return [k for _, _, k in sorted((bucket(k), i, k) for i, k in enumerate(keys))]


_GSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "\t": "\\t", "\b": "\\b", "\n": "\\n", "\r": "\\r", "\f": "\\f",
                 "\u2028": "\\u2028", "\u2029": "\\u2029"}


def gson_string(s: str) -> str:
    """A JSON string as Gson's JsonWriter writes it (no HTML escaping, non-ASCII kept)."""
    out = []
    for ch in s:
        if ch in _GSON_ESCAPES:
            out.append(_GSON_ESCAPES[ch])
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def gson_object(pairs) -> str:
    """JsonObject.toString() of string properties, in the given order."""
    return "{" + ",".join(gson_string(k) + ":" + gson_string(v) for k, v in pairs) + "}"


def java_timestamp(dt: datetime) -> str:
    """SimpleDateFormat("ddMMyyyy'T'HHmmss+SSSS"): SSSS is the millisecond, zero-padded to 4."""
    return dt.strftime("%d%m%Y") + "T" + dt.strftime("%H%M%S") + f"+{dt.microsecond // 1000:04d}"


def parse_java_timestamp(text: str, tz) -> datetime | None:
    """The instant a SDK timestamp names, read in the time zone `tz` (Vietnam for the platform)."""
    try:
        main, _, ms = text.partition("+")
        dt = datetime.strptime(main, "%d%m%YT%H%M%S")
        return dt.replace(tzinfo=tz) + timedelta(milliseconds=int(ms or 0))
    except (ValueError, TypeError):
        return None


def hmac_hex(secret: str, text: str) -> str:
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def java_unpadded_hex(digest: bytes) -> str:
    """Integer.toHexString(b & 0xff) concatenated: the SDK's hash-file, WITHOUT zero padding."""
    return "".join(format(b, "x") for b in digest)


def hash_file(path) -> str:
    """The SDK's `hash-file` value of a package file (SHA-256, unpadded hex)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return java_unpadded_hex(h.digest())


# ------------------------------------------------------------------ signing

def _ascii(value) -> str:
    # HTTP header values must be ASCII: non-ASCII text is carried as JSON escapes
    text = str(value)
    return text if text.isascii() else json.dumps(text)[1:-1]


def sign(values: dict, secret: str, java_order: bool = True) -> dict:
    """Headers for a call: XroadVnpt-<name> for each value, plus the signature headers, the version
    and the SDK's User-Agent. `values` is the SDK's header map in insertion order (timestamp first,
    then systemid, Content-Type and the parameters); java_order=True sends them in the order the
    SDK's HashMap iterates."""
    items = {k: _ascii(v) for k, v in values.items() if v is not None}
    names = java_hashmap_order(items) if java_order else list(items)
    headers = {}
    for n in names:
        headers[PREFIX + n] = items[n]
    signed = gson_object((PREFIX + n, items[n]) for n in names)
    headers[SIGN_KEY] = ";".join(names)
    headers[SIGN] = signed
    headers[HASH] = hmac_hex(secret, signed)
    headers["User-Agent"] = USER_AGENT
    headers[VERSION_HEADER] = VERSION
    return headers


_OWN = {SIGN_KEY.lower(), SIGN.lower(), HASH.lower(), VERSION_HEADER.lower()}


def signed_values(headers) -> dict | None:
    """The values named in the signature, read from the signed JSON exactly as received (names
    without the prefix), or None if the headers disagree with it."""
    lower = {k.lower(): v for k, v in headers.items()}
    try:
        names = [n for n in lower.get(SIGN_KEY.lower(), "").split(";") if n]
        signed = json.loads(lower.get(SIGN.lower(), ""))
    except ValueError:
        return None
    if not names or not isinstance(signed, dict) or len(set(names)) != len(names):
        return None
    if set(signed) != {PREFIX + n for n in names}:
        return None
    out = {}
    for n in names:
        value = signed[PREFIX + n]
        if not isinstance(value, str) or lower.get((PREFIX + n).lower()) != value:
            return None
        out[n] = value
    unsigned = {k for k in lower if k.startswith(PREFIX.lower())} - {(PREFIX + n).lower() for n in names} - _OWN
    if unsigned:      # an XroadVnpt value nobody signed: the request was altered
        return None
    return out


def verify(headers, secret: str) -> bool:
    """The HMAC of the signed JSON, as received, matches and the headers agree with the JSON."""
    lower = {k.lower(): v for k, v in headers.items()}
    signed = lower.get(SIGN.lower(), "")
    expected = hmac_hex(secret, signed)
    return hmac.compare_digest(expected, lower.get(HASH.lower(), "")) and signed_values(headers) is not None


def gson_object_list(values) -> str:
    """JsonArray.toString() of strings: the SDK's `to` parameter (["000.00.00.H41"])."""
    return "[" + ",".join(gson_string(str(v)) for v in values) + "]"
