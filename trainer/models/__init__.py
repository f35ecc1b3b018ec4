"""Every model, imported here so migrations see them all."""

from .audit import AuditEvent
from .cpd import ACTIVITY_TYPES, Certificate, ExternalActivity, Reflection, ReminderSent
from .learning import Answer, Attempt, CourseCompletion, DecisionRecord, ModuleRead
from .people import ROLES, AccountToken, Organisation, Partnership, RoleGrant, Team, User

__all__ = [
    "ACTIVITY_TYPES",
    "ROLES",
    "AccountToken",
    "Answer",
    "Attempt",
    "AuditEvent",
    "Certificate",
    "CourseCompletion",
    "DecisionRecord",
    "ExternalActivity",
    "ModuleRead",
    "Organisation",
    "Partnership",
    "Reflection",
    "ReminderSent",
    "RoleGrant",
    "Team",
    "User",
]
