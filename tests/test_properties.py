"""Property-based tests: reference round trips, and random sequences of register operations
that must never break numbering, history or the audit chain."""
import tempfile
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from app.domain import clock
from app.domain.doctypes import DOC_TYPES
from app.domain.reference import Reference, parse_reference
from app.domain.text import fold
from app.errors import DuplicateError, ValidationError
from app.store import entries, integrity, open_store, registers

ABBRS = [a for a in DOC_TYPES.values() if a]
ISSUERS = ["UBND", "VPUBND", "STC", "SNV", "HĐND", "BCĐ"]


@given(st.integers(1, 10**10), st.sampled_from(ABBRS), st.sampled_from(ISSUERS),
       st.one_of(st.none(), st.integers(1990, 2099)))
def test_reference_round_trip(number, abbr, issuer, year):
    ref = Reference(str(number), f"{abbr}-{issuer}", year)
    assert parse_reference(str(ref)) == ref
    assert str(ref).startswith(f"{number:02d}/")


@given(st.text(max_size=60))
def test_fold_is_idempotent_and_ascii_for_vietnamese(s):
    assert fold(fold(s)) == fold(s)
    assert "đ" not in fold(s) and "Đ" not in fold(s)


SUMMARIES = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệ ", min_size=3,
                    max_size=40).filter(lambda s: s.strip())


class RegisterMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.dir = tempfile.mkdtemp()
        self.store = open_store(self.dir, actor="hypothesis")
        registers.set_notation(self.store, "di", "UBND")
        self.now = datetime(2026, 12, 30, 8, 0, tzinfo=clock.VN_TZ)
        self.ids = []
        self.voided = set()

    def teardown(self):
        self.store.close()

    @rule(summary=SUMMARIES, kind=st.sampled_from(["incoming", "outgoing"]), hours=st.integers(0, 30))
    def register(self, summary, kind, hours):
        self.now += timedelta(hours=hours)  # crosses into the next year now and then
        data = {"summary": summary, "issuer": "Sở Nội vụ"} if kind == "incoming" else \
            {"summary": summary, "doc_type": "Thông báo"}
        e = entries.register(self.store, kind, data, allow_duplicate=True, now=self.now)
        assert e["year"] == self.now.year
        self.ids.append(e["id"])

    @precondition(lambda self: self.ids)
    @rule(i=st.integers(0, 10**6), reason=SUMMARIES)
    def void(self, i, reason):
        eid = self.ids[i % len(self.ids)]
        try:
            entries.void(self.store, eid, reason)
            self.voided.add(eid)
        except ValidationError:
            assert eid in self.voided or len(reason.strip()) < 3

    @precondition(lambda self: self.ids)
    @rule(i=st.integers(0, 10**6), summary=SUMMARIES)
    def revise(self, i, summary):
        eid = self.ids[i % len(self.ids)]
        before = entries.get(self.store, eid)
        try:
            after = entries.revise(self.store, eid, {"summary": summary}, "sửa lại")
        except ValidationError:
            assert eid in self.voided
            return
        assert after["revision"] == before["revision"] + 1
        assert after["register_number"] == before["register_number"]

    @precondition(lambda self: self.ids)
    @rule(i=st.integers(0, 10**6))
    def bad_register(self, i):
        with_errors = [{"summary": "x" * 501, "issuer": "A"}, {"summary": "ok", "issuer": "A", "secrecy": "Mật"},
                       {"summary": "ok", "issuer": "A", "issued_on": "2026-13-01"}]
        try:
            entries.register(self.store, "incoming", with_errors[i % 3], now=self.now)
            raise AssertionError("bad input accepted")
        except (ValidationError, DuplicateError):
            pass

    @invariant()
    def numbering_is_gapless_and_history_intact(self):
        rows = self.store.query("SELECT register_id, year, register_number, revision, id FROM entries")
        series = {}
        for reg, year, n, rev, eid in rows:
            series.setdefault((reg, year), []).append(n)
            revs = self.store.query("SELECT revision FROM entry_revisions WHERE entry_id = ? ORDER BY revision", (eid,))
            assert [r[0] for r in revs] == list(range(1, rev + 1))
        for nums in series.values():
            assert sorted(nums) == list(range(1, len(nums) + 1))
        assert len(rows) == len(self.ids)
        assert integrity.verify(self.store) == []


class TestRegisterMachine(RegisterMachine.TestCase):
    settings = settings(max_examples=25, stateful_step_count=25, deadline=None,
                        suppress_health_check=[HealthCheck.too_slow])


def test_year_boundary_sequence():
    m = RegisterMachine()
    for i in range(30):  # 30 x 20 h from 30 December: both years get their own series
        m.register(f"văn bản {i}", "incoming" if i % 3 else "outgoing", 20)
    m.void(5, "hủy nhầm")
    m.revise(7, "trích yếu mới")
    m.numbering_is_gapless_and_history_intact()
    years = {r[0] for r in m.store.query("SELECT DISTINCT year FROM entries")}
    assert years == {2026, 2027}
    m.teardown()
