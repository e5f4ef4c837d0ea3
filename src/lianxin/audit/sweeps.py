"""Retention of the audit trail (SEC-4): a periodic, idempotent purge."""

from lianxin.audit.services import purge_expired_entries
from lianxin.common.sweeps import sweep


@sweep("audit_retention")
def purge_audit_entries() -> int:
    return purge_expired_entries()
