"""Refresher reminders: 60, 30 and 7 days before a course's refresher is due, and on the day.

Safe to run daily: each reminder is recorded when sent and never sent twice. A run that was
missed for a while sends only the most pressing reminder, not a backlog.
"""

from __future__ import annotations

from datetime import date

from flask import render_template
from sqlalchemy import func

from trainer.content import Catalogue
from trainer.extensions import db
from trainer.mail import send_email
from trainer.models import CourseCompletion, ReminderSent, User
from trainer.web import external_url

DAYS_BEFORE = (60, 30, 7, 0)


def _latest_completions() -> list[CourseCompletion]:
    """Each person's newest completion of each course: older ones are already renewed."""
    newest = (
        db.select(
            CourseCompletion.user_id,
            CourseCompletion.course_id,
            func.max(CourseCompletion.completed_at).label("completed_at"),
        )
        .group_by(CourseCompletion.user_id, CourseCompletion.course_id)
        .subquery()
    )
    return list(
        db.session.scalars(
            db.select(CourseCompletion).join(
                newest,
                (CourseCompletion.user_id == newest.c.user_id)
                & (CourseCompletion.course_id == newest.c.course_id)
                & (CourseCompletion.completed_at == newest.c.completed_at),
            )
        )
    )


def send_reminders(catalogue: Catalogue, today: date) -> int:
    """Send the reminders due today; return how many were sent."""
    sent = 0
    for completion in _latest_completions():
        days_left = (completion.refresher_due - today).days
        due = [d for d in DAYS_BEFORE if days_left <= d]
        if not due:
            continue
        already = set(
            db.session.scalars(
                db.select(ReminderSent.days_before).where(
                    ReminderSent.completion_id == completion.id
                )
            )
        )
        most_pressing = min(due)
        if most_pressing in already:
            continue
        user = db.session.get(User, completion.user_id)
        course = catalogue.courses.get(completion.course_id)
        if user is None or not user.is_active or course is None:
            continue
        send_email(
            user.email,
            f"Refresher due: {course.title}",
            render_template(
                "emails/refresher.txt",
                name=user.name,
                course=course.title,
                due=completion.refresher_due,
                days_left=days_left,
                link=external_url("learn.course", course_id=course.id),
            ),
        )
        for days in due:
            if days not in already:
                db.session.add(ReminderSent(completion_id=completion.id, days_before=days))
        db.session.commit()
        sent += 1
    return sent
