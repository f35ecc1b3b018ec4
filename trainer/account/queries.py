"""What the account page shows about the person signed in."""

from __future__ import annotations

from trainer.content import SECTORS
from trainer.models import ROLES, User


def profile_rows(user: User) -> list[tuple[str, str, str]]:
    """(label, value, endpoint of the page that changes it, or "" when the person cannot)."""
    organisation = user.organisation.name if user.organisation else user.organisation_other
    roles = ", ".join(ROLES[role] for role in sorted(user.role_names) if role in ROLES)
    return [
        ("Name", user.name, "account.details"),
        ("Email address", user.email, "account.email"),
        ("Password", "Hidden for your security", "account.password"),
        ("Organisation", organisation or "Not given", "account.details"),
        ("Sector", SECTORS.get(user.sector, user.sector), "account.details"),
        ("Job role", user.job_role or "Not given", "account.details"),
        ("Roles", f"{roles}. Ask your administrator to change them.", ""),
    ]
