"""Exponential backoff with jitter and a cap for retrying outbox items."""
import random
from datetime import datetime, timedelta

BASE_SECONDS = 2.0
CAP_SECONDS = 300.0


def delay(attempts: int, base: float = BASE_SECONDS, cap: float = CAP_SECONDS, rng=random) -> float:
    """Seconds to wait after `attempts` failures: base * 2^(attempts-1), capped, jittered
    into [half, full] so that many workstations do not retry in step."""
    full = min(cap, base * (2 ** max(0, min(attempts, 30) - 1)))
    return full * rng.uniform(0.5, 1.0)


def next_attempt(now: datetime, attempts: int, **kw) -> datetime:
    return now + timedelta(seconds=delay(attempts, **kw))
