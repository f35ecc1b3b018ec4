"""Every model, imported here so migrations see them all."""

from .audit import AuditEvent
from .people import ROLES, Organisation, RoleGrant, User

__all__ = ["ROLES", "AuditEvent", "Organisation", "RoleGrant", "User"]
