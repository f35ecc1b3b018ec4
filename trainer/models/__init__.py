"""Every model, imported here so migrations see them all."""

from .audit import AuditEvent
from .learning import Answer, Attempt, CourseCompletion, DecisionRecord, ModuleRead
from .people import ROLES, AccountToken, Organisation, RoleGrant, User

__all__ = [
    "ROLES",
    "AccountToken",
    "Answer",
    "Attempt",
    "AuditEvent",
    "CourseCompletion",
    "DecisionRecord",
    "ModuleRead",
    "Organisation",
    "RoleGrant",
    "User",
]
