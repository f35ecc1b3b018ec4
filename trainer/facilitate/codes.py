"""Join codes: short, read aloud or off a screen without confusing 0 and O or 1, I and L."""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_code(value):
    """What people type, as stored: spaces and dashes dropped, in capitals."""
    if not isinstance(value, str):
        return value
    return "".join(ch for ch in value.upper() if ch.isalnum())


def looks_like_a_code(value: str) -> bool:
    return len(value) == LENGTH and all(ch in ALPHABET for ch in value)
