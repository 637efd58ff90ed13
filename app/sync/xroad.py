"""The national platform's request signing: XroadVnpt-* headers, a JSON of the signed headers
and its HMAC-SHA256 with the shared secret. Used by the client and by the reference hub."""
import hashlib
import hmac
import json

PREFIX = "XroadVnpt-"
SIGN_KEY = PREFIX + "sign-header-key"
SIGN = PREFIX + "sign-header"
HASH = PREFIX + "hash-header"


def _ascii(value) -> str:
    # HTTP header values must be ASCII: non-ASCII text is carried as JSON escapes
    text = str(value)
    return text if text.isascii() else json.dumps(text)[1:-1]


def sign(values: dict, secret: str) -> dict:
    """Headers for a call: XroadVnpt-<name> for each value, plus the three signature headers."""
    headers = {PREFIX + k: _ascii(v) for k, v in values.items() if v is not None}
    names = sorted(headers)
    signed = json.dumps({n: headers[n] for n in names}, separators=(",", ":"), ensure_ascii=True)
    headers[SIGN_KEY] = ";".join(names)
    headers[SIGN] = signed
    headers[HASH] = hmac.new(secret.encode(), signed.encode(), hashlib.sha256).hexdigest()
    return headers


def signed_values(headers) -> dict | None:
    """The XroadVnpt-* values named in the signature, or None if the headers disagree with it."""
    try:
        names = [n for n in headers.get(SIGN_KEY, "").split(";") if n]
        signed = json.loads(headers.get(SIGN, ""))
    except ValueError:
        return None
    if not names or set(signed) != set(names):
        return None
    lower = {k.lower(): v for k, v in headers.items()}
    for n in names:
        if lower.get(n.lower()) != signed[n]:
            return None
    return {n[len(PREFIX):]: v for n, v in signed.items()}


def verify(headers, secret: str) -> bool:
    signed = headers.get(SIGN, "")
    expected = hmac.new(secret.encode(), signed.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers.get(HASH, "")) and signed_values(headers) is not None
