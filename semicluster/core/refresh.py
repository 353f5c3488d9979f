"""Derived data that must follow the records it is computed from: the goal indicators (and the cached
enterprise tiers they partly rest on).

A write service that changes what a goal is computed from calls ``indicators_stale()``. The refresh
then runs once, when the outermost transaction commits — however many records the request or the
import changed — and never for a transaction that rolled back. The monitoring and cultivation apps
are imported lazily: core does not depend on them, and without them there is nothing to refresh.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)

_TIERS = "_semicluster_tiers_stale"  # on the connection: a tier refresh is wanted with the next run


def indicators_stale(*, tiers: bool = False) -> None:
    """Ask for an indicator refresh (and a tier refresh first, with ``tiers``) after the commit."""
    connection: Any = transaction.get_connection()
    if tiers:
        connection.__dict__[_TIERS] = True
    # One refresh per transaction: skip when this transaction already has it queued (a rolled-back
    # transaction drops its queue, so the next write queues afresh).
    if connection.in_atomic_block and any(entry[1] is _run for entry in connection.run_on_commit):
        return
    transaction.on_commit(_run)


def _run() -> None:
    connection: Any = transaction.get_connection()
    tiers = connection.__dict__.pop(_TIERS, False)
    try:
        if tiers:
            from semicluster.cultivation.services import tiers_refresh

            tiers_refresh()
        indicators_refresh_if_present()
    except Exception:  # the write itself succeeded; a failed refresh is logged and retried by the job
        log.exception("refreshing derived data after a commit failed")


def indicators_refresh_if_present() -> None:
    """Recompute the goal indicators now, when the monitoring app is installed."""
    try:
        from semicluster.monitoring.services import indicators_refresh
    except ImportError:  # the monitoring app is optional
        return
    indicators_refresh()
