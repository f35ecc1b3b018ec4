"""Certificates of completion: issued when a course is completed, drawn as a PDF, checked by
anyone with the code, and revoked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from trainer.content.model import Course
from trainer.events import course_completed
from trainer.exports.pdf import CertificateData, certificate_pdf
from trainer.extensions import db
from trainer.formats import grouped_code, new_certificate_code, normalise_certificate_code
from trainer.models import Certificate, CourseCompletion, User
from trainer.web import external_url, found_or_404


@course_completed.connect
def issue_certificate(completion: CourseCompletion, course: Course) -> Certificate:
    """Every course completion gets its certificate, in the same transaction."""
    certificate = Certificate(
        completion=completion,
        code=new_certificate_code(),
        holder_name=db.session.get(User, completion.user_id).name,
        course_title=course.title,
        content_version=course.version,
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
    return found_or_404(db.session.scalars(query).first())


def certificate_pdf_for(user_id: int, course_id: str, completion_id: int | None) -> bytes:
    """The learner's own certificate as a PDF; anyone else's is not found."""
    found = certificate_for(user_id, course_id, completion_id)
    return certificate_pdf(
        CertificateData(
            holder_name=found.holder_name,
            course_title=found.course_title,
            completed_on=found.issued_at.date(),
            cpd_minutes=found.completion.cpd_minutes,
            refresher_due=found.expires_on,
            code=grouped_code(found.code),
            verify_url=external_url("cpd.verify", code=found.code),
        )
    )


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


def find(typed_code: str) -> Certificate | None:
    """The certificate with a code as someone typed it (any case, spaces or hyphens)."""
    code = normalise_certificate_code(typed_code)
    return db.session.scalars(db.select(Certificate).where(Certificate.code == code)).first()


def verify(typed_code: str, today: date) -> Verification | None:
    certificate = find(typed_code)
    if certificate is None:
        return None
    if certificate.revoked_at is not None:
        status = "revoked"
    elif certificate.expires_on < today:
        status = "expired"
    else:
        status = "valid"
    return Verification(certificate, status)


def revoke(typed_code: str) -> bool:
    certificate = find(typed_code)
    if certificate is None:
        return False
    certificate.revoked_at = certificate.revoked_at or datetime.now(UTC)
    db.session.commit()
    return True
