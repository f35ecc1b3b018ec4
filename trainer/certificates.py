"""Certificates of completion: issued when a course is completed, checked by anyone with the code."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import abort

from trainer.extensions import db
from trainer.models import Certificate, CourseCompletion

CODE_BYTES = 15  # 120 bits of randomness, well over the 80 the issue asks for


def issue_certificate(
    completion: CourseCompletion, holder_name: str, course_title: str, version: str
) -> Certificate:
    certificate = Certificate(
        completion=completion,
        code=secrets.token_urlsafe(CODE_BYTES),
        holder_name=holder_name,
        course_title=course_title,
        content_version=version,
        issued_at=completion.completed_at,
        expires_on=completion.refresher_due,
    )
    db.session.add(certificate)
    return certificate


def certificate_for(user_id: int, course_id: str, completion_id: int | None) -> Certificate:
    """The learner's certificate for a course: the latest, or the completion named."""
    query = (
        db.select(Certificate)
        .join(CourseCompletion, Certificate.completion_id == CourseCompletion.id)
        .where(CourseCompletion.user_id == user_id, CourseCompletion.course_id == course_id)
        .order_by(CourseCompletion.completed_at.desc())
    )
    if completion_id is not None:
        query = query.where(CourseCompletion.id == completion_id)
    certificate = db.session.scalars(query).first()
    if certificate is None:
        abort(404)
    return certificate


@dataclass(frozen=True)
class Verification:
    certificate: Certificate
    status: str  # valid | expired | revoked

    def as_json(self) -> dict:
        """Only what an employer needs: nothing about the learner beyond their name."""
        return {
            "status": self.status,
            "name": self.certificate.holder_name,
            "course": self.certificate.course_title,
            "issued": self.certificate.issued_at.date().isoformat(),
            "expires": self.certificate.expires_on.isoformat(),
        }


def verify(code: str, today: date) -> Verification | None:
    certificate = db.session.scalars(db.select(Certificate).where(Certificate.code == code)).first()
    if certificate is None:
        return None
    if certificate.revoked_at is not None:
        status = "revoked"
    elif certificate.expires_on < today:
        status = "expired"
    else:
        status = "valid"
    return Verification(certificate, status)


def revoke(code: str) -> bool:
    certificate = db.session.scalars(db.select(Certificate).where(Certificate.code == code)).first()
    if certificate is None:
        return False
    certificate.revoked_at = certificate.revoked_at or datetime.now(UTC)
    db.session.commit()
    return True
