"""Every model, imported here so migrations see them all."""

from .audit import AuditEvent
from .cpd import ACTIVITY_TYPES, Certificate, ExternalActivity, Reflection, ReminderSent
from .learning import Answer, Attempt, CourseCompletion, DecisionRecord, ModuleRead
from .people import ROLES, AccountToken, Organisation, Partnership, RoleGrant, Team, User
from .reports import AnonymousCompletion, ImportBatch, LeadScope
from .sessions import (
    LIVE_PHASES,
    Attendance,
    Booking,
    BookingReminder,
    Participant,
    SessionFeedback,
    TrainingSession,
    Vote,
)

__all__ = [
    "ACTIVITY_TYPES",
    "LIVE_PHASES",
    "ROLES",
    "AccountToken",
    "AnonymousCompletion",
    "Answer",
    "Attempt",
    "Attendance",
    "AuditEvent",
    "Booking",
    "BookingReminder",
    "Certificate",
    "CourseCompletion",
    "DecisionRecord",
    "ExternalActivity",
    "ImportBatch",
    "LeadScope",
    "ModuleRead",
    "Organisation",
    "Participant",
    "Partnership",
    "Reflection",
    "ReminderSent",
    "RoleGrant",
    "SessionFeedback",
    "Team",
    "TrainingSession",
    "User",
    "Vote",
]
