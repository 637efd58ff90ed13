"""Request signing pinned against worked examples computed by hand (SDKVXP 2.0.x behaviour:
java.util.HashMap iteration order, Gson compact JSON, lowercase hex HMAC-SHA256)."""
import hashlib
import hmac
from datetime import UTC, datetime, timedelta, timezone

from app.sync import xroad

SECRET = "secret-a-0123456789"


def test_java_string_hash_and_hashmap_order():
    # values of java.lang.String.hashCode(): "Aa" and "BB" collide (a classic)
    assert xroad.java_string_hash("hello") == 99162322
    assert xroad.java_string_hash("Aa") == xroad.java_string_hash("BB") == 2112
    assert xroad.java_string_hash("servicetype") == -1927416977          # 32-bit overflow, signed
    # same bucket: insertion order is kept
    assert xroad.java_hashmap_order(["Aa", "BB"]) == ["Aa", "BB"]
    assert xroad.java_hashmap_order(["BB", "Aa"]) == ["BB", "Aa"]
    # bucket = (h ^ (h >>> 16)) & 15: timestamp 15, systemid 2, Content-Type 15, docId 6
    assert xroad.java_hashmap_order(["timestamp", "systemid", "Content-Type", "docId"]) == \
        ["systemid", "docId", "timestamp", "Content-Type"]


def test_worked_example_getedoc():
    values = {"timestamp": "27112026T091502+0042", "systemid": "000.00.00.H53", "Content-Type": "application/json",
              "docId": "1234"}
    h = xroad.sign(values, SECRET)
    expected_json = ('{"XroadVnpt-systemid":"000.00.00.H53","XroadVnpt-docId":"1234",'
                     '"XroadVnpt-timestamp":"27112026T091502+0042","XroadVnpt-Content-Type":"application/json"}')
    assert h["XroadVnpt-sign-header"] == expected_json
    assert h["XroadVnpt-sign-header-key"] == "systemid;docId;timestamp;Content-Type"     # no prefix
    # computed independently: printf '%s' JSON | openssl dgst -sha256 -hmac secret-a-0123456789
    assert h["XroadVnpt-hash-header"] == "c9717c531cee16fb1a94fcc0dfe8ba054647397f31cf2fc12c12e8be4b5af840"
    assert h["XroadVnpt-version"] == "3.0.201608"
    assert h["User-Agent"] == "JAVASDKAgent/1.0.0 XRoad/VPCP"
    assert [k for k in h if k.startswith("XroadVnpt-") and k[10:] in values] == \
        ["XroadVnpt-systemid", "XroadVnpt-docId", "XroadVnpt-timestamp", "XroadVnpt-Content-Type"]
    assert xroad.verify(h, SECRET) and not xroad.verify(h, SECRET + "x")


def test_worked_example_sendedoc_with_to_array():
    values = {"timestamp": "27112026T091502+0042", "systemid": "000.00.00.H53",
              "Content-Type": "application/octet-stream", "from": "000.00.00.H53",
              "to": xroad.gson_object_list(["000.00.00.H41"]), "servicetype": "eDoc", "messagetype": "edoc",
              "hash-file": "a5f0e3"}
    h = xroad.sign(values, SECRET)
    assert values["to"] == '["000.00.00.H41"]'
    assert h["XroadVnpt-sign-header-key"] == "systemid;servicetype;messagetype;hash-file;from;to;timestamp;Content-Type"
    assert h["XroadVnpt-sign-header"] == (
        '{"XroadVnpt-systemid":"000.00.00.H53","XroadVnpt-servicetype":"eDoc","XroadVnpt-messagetype":"edoc",'
        '"XroadVnpt-hash-file":"a5f0e3","XroadVnpt-from":"000.00.00.H53","XroadVnpt-to":"[\\"000.00.00.H41\\"]",'
        '"XroadVnpt-timestamp":"27112026T091502+0042","XroadVnpt-Content-Type":"application/octet-stream"}')
    assert h["XroadVnpt-hash-header"] == "ed5bf3198238c54c620463482cc62bff2adcc4bea5cd993f177b6a8a848d609e"
    assert h["XroadVnpt-to"] == '["000.00.00.H41"]'


def test_gson_escaping():
    assert xroad.gson_string('a"b\\c\n\t</>=&\'') == '"a\\"b\\\\c\\n\\t</>=&\'"'   # no HTML escaping
    assert xroad.gson_string("\x01\u2028") == '"\\u0001\\u2028"'
    assert xroad.gson_string("Sở Nội vụ") == '"Sở Nội vụ"'                          # non-ASCII kept


def test_timestamp_format_ddmmyyyy_t_hhmmss_plus_millis():
    dt = datetime(2026, 11, 27, 9, 15, 2, 42_000, tzinfo=timezone(timedelta(hours=7)))
    assert xroad.java_timestamp(dt) == "27112026T091502+0042"
    back = xroad.parse_java_timestamp("27112026T091502+0042", timezone(timedelta(hours=7)))
    assert back == dt
    assert xroad.parse_java_timestamp("1732697702000", UTC) is None      # epoch millis: not the format


def test_hash_file_is_unpadded_hex(tmp_path):
    assert xroad.java_unpadded_hex(bytes([0x00, 0x0F, 0x10, 0xAB])) == "0f10ab"
    p = tmp_path / "p.edxml"
    p.write_bytes(b"abc")
    digest = hashlib.sha256(b"abc").digest()       # ba7816bf 8f01cfea ... (a 0x01 byte gives "1")
    assert xroad.hash_file(p) == "".join(f"{b:x}" for b in digest)
    assert xroad.hash_file(p) != hashlib.sha256(b"abc").hexdigest()


def test_server_verifies_the_json_as_received_in_any_order():
    json_text = '{"XroadVnpt-timestamp":"27112026T091502+0042","XroadVnpt-systemid":"000.00.00.H53"}'
    headers = {"XroadVnpt-timestamp": "27112026T091502+0042", "XroadVnpt-systemid": "000.00.00.H53",
               "XroadVnpt-sign-header-key": "timestamp;systemid", "XroadVnpt-sign-header": json_text,
               "XroadVnpt-hash-header": hmac.new(SECRET.encode(), json_text.encode(), hashlib.sha256).hexdigest()}
    assert xroad.verify(headers, SECRET)
    assert xroad.signed_values(headers) == {"timestamp": "27112026T091502+0042", "systemid": "000.00.00.H53"}
    tampered = dict(headers, **{"XroadVnpt-systemid": "000.00.01.H53"})
    assert not xroad.verify(tampered, SECRET)
    extra = dict(headers, **{"XroadVnpt-from": "000.00.01.H53"})       # an unsigned value added
    assert xroad.signed_values(extra) is None
