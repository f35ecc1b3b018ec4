"""A learner's progress through courses: modules read, quizzes passed, completions.

Shared by every area that shows or counts progress (home page, courses, CPD, reports).

A completion closes a cycle: what counts toward the next completion (a refresher) is what
the learner does after it, so a retake never erases an earlier completion.

Each write is exact under identical requests arriving together (a double click, a retry): the
database keeps one read per module and one completion per course in each cycle, and the
request that loses the race treats the fact as already recorded.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.exc import IntegrityError

from trainer.content import Catalogue
from trainer.content.model import Course, Module
from trainer.credit import course_minutes, ledger_for
from trainer.events import course_completed
from trainer.extensions import db
from trainer.formats import london_date
from trainer.models import Attempt, CourseCompletion, ModuleRead, User

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# How long after a completion the press that completed it still counts as the same press
# when it arrives again (a double click, a retry) rather than as the refresher's first read.
REPEAT_WINDOW = timedelta(minutes=1)

# How near its refresher date a completion is flagged as due soon.
REFRESHER_WARNING_DAYS = 60


def add_months(day: date, months: int) -> date:
    """The same day some months later, or the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def courses_for(catalogue: Catalogue, user) -> list[Course]:
    """Courses meant for the person's sector first, then the rest; everyone may take any."""
    courses = list(catalogue.courses.values())
    if user is None:
        return courses
    return sorted(courses, key=lambda course: user.sector not in course.audience)


def latest_completion(user_id: int, course_id: str) -> CourseCompletion | None:
    return db.session.scalars(
        db.select(CourseCompletion)
        .where(CourseCompletion.user_id == user_id, CourseCompletion.course_id == course_id)
        .order_by(CourseCompletion.cycle.desc())
    ).first()


def has_read(user_id: int, course_id: str, module_id: str) -> bool:
    """Whether the module is read in the course's current cycle: one query, for its page."""
    return bool(
        db.session.scalar(
            _HAS_READ, {"user_id": user_id, "course_id": course_id, "module_id": module_id}
        )
    )


# Built once: a module page asks this on every request of a signed-in person.
_HAS_READ = db.select(
    db.exists().where(
        ModuleRead.user_id == db.bindparam("user_id"),
        ModuleRead.course_id == db.bindparam("course_id"),
        ModuleRead.module_id == db.bindparam("module_id"),
        ModuleRead.cycle
        == db.select(db.func.coalesce(db.func.max(CourseCompletion.cycle) + 1, 0))
        .where(
            CourseCompletion.user_id == db.bindparam("user_id"),
            CourseCompletion.course_id == db.bindparam("course_id"),
        )
        .scalar_subquery(),
    )
)


def modules_read_in(user_id: int, course_id: str, cycle: int) -> set[str]:
    return set(
        db.session.scalars(
            db.select(ModuleRead.module_id).where(
                ModuleRead.user_id == user_id,
                ModuleRead.course_id == course_id,
                ModuleRead.cycle == cycle,
            )
        )
    )


def quizzes_passed_since(
    user_id: int, quiz_ids: tuple[str, ...], since: datetime, until: datetime | None = None
) -> set[str]:
    if not quiz_ids:
        return set()
    query = db.select(Attempt.quiz_id).where(
        Attempt.user_id == user_id,
        Attempt.quiz_id.in_(quiz_ids),
        Attempt.passed.is_(True),
        Attempt.finished_at > since,
    )
    if until is not None:
        query = query.where(Attempt.finished_at <= until)
    return set(db.session.scalars(query))


@dataclass(frozen=True)
class CourseProgress:
    course: Course
    cycle: int  # how many times the learner had completed the course before
    modules_read: frozenset[str]
    quizzes_passed: frozenset[str]
    completion: CourseCompletion | None
    next_module: Module | None
    # What the completed cycle read and passed: pages show it until a new cycle starts.
    completed_read: frozenset[str] = frozenset()
    completed_passed: frozenset[str] = frozenset()

    @property
    def modules_done(self) -> int:
        return len(self.modules_read & set(self.course.module_ids))

    @property
    def is_refresher_due(self) -> bool:
        return self.completion is not None and self.completion.refresher_due <= date.today()

    @property
    def days_to_refresher(self) -> int | None:
        if self.completion is None:
            return None
        return (self.completion.refresher_due - date.today()).days

    @property
    def is_refresher_near(self) -> bool:
        days = self.days_to_refresher
        return days is not None and days <= REFRESHER_WARNING_DAYS

    @property
    def has_started(self) -> bool:
        return bool(self.modules_read or self.quizzes_passed)

    @property
    def is_complete(self) -> bool:
        """Completed, and no step of a refresher taken since."""
        return self.completion is not None and not self.has_started

    @property
    def shown(self) -> tuple:
        """All that a course's status line shows (components/course_status.html), and nothing
        of whose progress it is: learners in the same state share one rendered card."""
        completion = self.completion
        return (
            self.is_refresher_due,
            self.is_refresher_near,
            london_date(completion.completed_at) if completion else None,
            completion.refresher_due if completion else None,
            self.days_to_refresher,
            self.modules_done,
            len(self.quizzes_passed),
            self.has_started,
        )

    @property
    def read_marks(self) -> frozenset[str]:
        """The modules a course page marks as read."""
        return self.completed_read if self.is_complete else self.modules_read

    @property
    def passed_marks(self) -> frozenset[str]:
        """The final assessments a course page marks as passed."""
        return self.completed_passed if self.is_complete else self.quizzes_passed


def progress_in(catalogue: Catalogue, user_id: int, course: Course) -> CourseProgress:
    completion = latest_completion(user_id, course.id)
    cycle = completion.cycle + 1 if completion else 0
    since = completion.completed_at if completion else EPOCH
    read = modules_read_in(user_id, course.id, cycle)
    passed = quizzes_passed_since(user_id, course.completion_quizzes, since)
    completed_read, completed_passed = set(), set()
    if completion and not (read or passed):
        completed_read = modules_read_in(user_id, course.id, completion.cycle)
        completed_passed = quizzes_passed_since(
            user_id, course.completion_quizzes, EPOCH, until=completion.completed_at
        )
    return _progress(catalogue, course, completion, read, passed, completed_read, completed_passed)


# Built once: the home page asks these on every request of a signed-in person.
_COMPLETIONS = (
    db.select(CourseCompletion)
    .where(CourseCompletion.user_id == db.bindparam("user_id"))
    .order_by(CourseCompletion.cycle)
)
_READS = db.select(
    ModuleRead.course_id, ModuleRead.module_id, ModuleRead.cycle, ModuleRead.read_at, ModuleRead.id
).where(ModuleRead.user_id == db.bindparam("user_id"))
_ATTEMPTS = db.select(
    Attempt.quiz_id, Attempt.number, Attempt.started_at, Attempt.finished_at, Attempt.passed
).where(Attempt.user_id == db.bindparam("user_id"))


@dataclass(frozen=True)
class Activity:
    """What the home page needs of a learner's history, read in three queries: their
    completions, reads and attempts."""

    completions: list[CourseCompletion]  # oldest cycle first
    reads: list  # rows of course_id, module_id, cycle, read_at, id
    attempts: list  # rows of quiz_id, number, started_at, finished_at, passed

    @classmethod
    def of(cls, user_id: int) -> Activity:
        values = {"user_id": user_id}
        return cls(
            list(db.session.scalars(_COMPLETIONS, values)),
            db.session.execute(_READS, values).all(),
            db.session.execute(_ATTEMPTS, values).all(),
        )

    def last_read(self):
        return max(self.reads, key=lambda read: (read.read_at, read.id), default=None)

    def unfinished(self):
        """The attempt begun most recently that is not finished."""
        open_ = [attempt for attempt in self.attempts if attempt.finished_at is None]
        return max(open_, key=lambda attempt: attempt.started_at, default=None)

    def newest_completion(self) -> CourseCompletion | None:
        return max(self.completions, key=lambda done: done.completed_at, default=None)

    def last_step_at(self) -> datetime | None:
        """When the learner last read a module or began an attempt."""
        times = [read.read_at for read in self.reads]
        times += [attempt.started_at for attempt in self.attempts]
        return max(times, default=None)


def progress_in_every_course(catalogue: Catalogue, activity: Activity) -> dict[str, CourseProgress]:
    """progress_in for every course at once, from the learner's activity."""
    latest = {completion.course_id: completion for completion in activity.completions}
    passes = [(a.quiz_id, a.finished_at) for a in activity.attempts if a.passed]
    read_in: dict[tuple[str, int], set[str]] = defaultdict(set)  # by course and cycle
    for r in activity.reads:
        read_in[r.course_id, r.cycle].add(r.module_id)
    every = {}
    for course in catalogue.courses.values():
        completion = latest.get(course.id)
        cycle = completion.cycle + 1 if completion else 0
        since = completion.completed_at if completion else EPOCH
        finals = set(course.completion_quizzes)
        read = set(read_in.get((course.id, cycle), ()))
        passed = {q for q, at in passes if q in finals and at > since}
        completed_read, completed_passed = set(), set()
        if completion and not (read or passed):
            completed_read = set(read_in.get((course.id, completion.cycle), ()))
            completed_passed = {
                q for q, at in passes if q in finals and EPOCH < at <= completion.completed_at
            }
        every[course.id] = _progress(
            catalogue, course, completion, read, passed, completed_read, completed_passed
        )
    return every


@dataclass(frozen=True)
class Home:
    """A signed-in learner's home page: progress in every course, where to carry on, and the
    completion to announce."""

    progress: dict[str, CourseProgress]
    continuation: Continuation | None
    announced: CourseProgress | None


def home_for(catalogue: Catalogue, user_id: int) -> Home:
    activity = Activity.of(user_id)
    progress = progress_in_every_course(catalogue, activity)
    return Home(
        progress,
        continue_where_left_off(catalogue, activity, progress),
        completion_to_announce(catalogue, activity, progress),
    )


def _progress(
    catalogue: Catalogue,
    course: Course,
    completion: CourseCompletion | None,
    read: set[str],
    passed: set[str],
    completed_read: set[str],
    completed_passed: set[str],
) -> CourseProgress:
    unread = [m for m in course.module_ids if m not in read]
    return CourseProgress(
        course=course,
        cycle=completion.cycle + 1 if completion else 0,
        modules_read=frozenset(read),
        quizzes_passed=frozenset(passed),
        completion=completion,
        next_module=catalogue.modules[unread[0]] if unread else None,
        completed_read=frozenset(completed_read),
        completed_passed=frozenset(completed_passed),
    )


def mark_module_read(catalogue: Catalogue, user_id: int, course: Course, module: Module) -> None:
    """Record a read once per cycle; complete the course if that was the last step.

    The read and the completion it brings are committed together, so a request that finds
    the read already recorded also finds the completion, if one was due.
    """
    progress = progress_in(catalogue, user_id, course)
    now = datetime.now(UTC)
    if module.id not in progress.modules_read:
        if _repeats_completing_read(user_id, module.id, progress.completion, now):
            return
        if not _add_read(user_id, course.id, module.id, progress.cycle, now):
            return
    complete_if_ready(catalogue, user_id, course, at=now)
    db.session.commit()


def stored_once(*facts) -> bool:
    """Write facts now, in one flush; False when an identical request stored them first.

    Losing the race rolls back the whole transaction: use it only where all the transaction
    holds so far is this request's own facts, which the request that won has stored too.
    """
    db.session.add_all(facts)
    return _written_once(db.session.flush)


def rows_stored_once(model, rows: list[dict]) -> bool:
    """stored_once for rows of one model, written in one statement and not loaded back into
    the session: for facts the request does not read again."""
    return _written_once(lambda: db.session.execute(db.insert(model), rows))


def _written_once(write) -> bool:
    try:
        write()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def _add_read(user_id: int, course_id: str, module_id: str, cycle: int, now: datetime) -> bool:
    """Store the read; False when an identical request stored it first."""
    return stored_once(
        ModuleRead(
            user_id=user_id, course_id=course_id, module_id=module_id, cycle=cycle, read_at=now
        )
    )


def _repeats_completing_read(
    user_id: int, module_id: str, completion: CourseCompletion | None, now: datetime
) -> bool:
    """The press that completed the course, arriving again just after: not a refresher read.

    A completion made by a module read carries that read's time (see complete_if_ready).
    """
    if completion is None or now - completion.completed_at > REPEAT_WINDOW:
        return False
    completing_read = db.session.scalar(
        db.select(ModuleRead.id).where(
            ModuleRead.user_id == user_id,
            ModuleRead.course_id == completion.course_id,
            ModuleRead.module_id == module_id,
            ModuleRead.cycle == completion.cycle,
            ModuleRead.read_at == completion.completed_at,
        )
    )
    return completing_read is not None


def complete_if_ready(
    catalogue: Catalogue, user_id: int, course: Course, at: datetime | None = None
) -> None:
    """Add a completion when every module is read and every named quiz passed in this cycle.

    It is dated `at`, the time of the step that completed the course, and runs inside the
    caller's transaction: a completion that a simultaneous request made first is rolled back
    to a savepoint, leaving the caller's own writes in place.
    """
    _hold_learner(user_id)
    progress = progress_in(catalogue, user_id, course)
    if not (
        set(course.module_ids) <= progress.modules_read
        and set(course.completion_quizzes) <= progress.quizzes_passed
    ):
        return
    completed_at = at or datetime.now(UTC)
    completion = CourseCompletion(
        user_id=user_id,
        course_id=course.id,
        cycle=progress.cycle,
        completed_at=completed_at,
        refresher_due=add_months(completed_at.date(), course.validity_months),
        cpd_minutes=course_minutes(
            catalogue, ledger_for(user_id), course, progress.cycle, progress.modules_read
        ),
    )
    try:
        with db.session.begin_nested():
            db.session.add(completion)
            db.session.flush()
            # The certificate is issued inside the savepoint: both are stored, or neither.
            course_completed.send(completion, course=course)
    except IntegrityError:
        return  # completed already by a simultaneous request


def _hold_learner(user_id: int) -> None:
    """Lock the learner's row until commit (PostgreSQL; SQLite writes one at a time).

    A module read and a quiz pass finishing together would otherwise each look for the
    other's step before it is committed, and neither would complete the course.
    """
    db.session.execute(db.select(User.id).where(User.id == user_id).with_for_update(key_share=True))


def courses_completed_by_quiz(catalogue: Catalogue, quiz_id: str) -> list[Course]:
    return [c for c in catalogue.courses.values() if quiz_id in c.completion_quizzes]


def completions_with(
    catalogue: Catalogue, attempt: Attempt
) -> list[tuple[Course, CourseCompletion]]:
    """The completions a passed final assessment counted towards: for each course it is part
    of, the completion that closed the cycle the attempt was taken in, if it has closed."""
    if not attempt.passed or attempt.finished_at is None:
        return []
    found = []
    for course in courses_completed_by_quiz(catalogue, attempt.quiz_id):
        completion = db.session.scalars(
            db.select(CourseCompletion)
            .where(
                CourseCompletion.user_id == attempt.user_id,
                CourseCompletion.course_id == course.id,
                CourseCompletion.completed_at >= attempt.finished_at,
            )
            .order_by(CourseCompletion.completed_at)
        ).first()
        if completion is not None:
            found.append((course, completion))
    return found


def quizzes_finished_by(user_id: int) -> set[str]:
    """The quizzes the learner has finished at least once, whether they passed or not."""
    return set(
        db.session.scalars(
            db.select(Attempt.quiz_id)
            .where(Attempt.user_id == user_id, Attempt.finished_at.is_not(None))
            .distinct()
        )
    )


@dataclass(frozen=True)
class Continuation:
    """Where "continue where you left off" goes: a page and what to call it."""

    label: str
    endpoint: str
    values: dict
    heading: str = "Continue where you left off"


def continue_where_left_off(
    catalogue: Catalogue, activity: Activity, progress: Mapping[str, CourseProgress]
) -> Continuation | None:
    """Where the learner left off, given their activity and progress in every course."""
    unfinished = activity.unfinished()
    if unfinished and unfinished.quiz_id not in catalogue.quizzes:
        unfinished = None
    last_read = activity.last_read()
    if last_read and last_read.course_id not in catalogue.courses:
        last_read = None
    if unfinished and (last_read is None or unfinished.started_at > last_read.read_at):
        quiz = catalogue.quizzes[unfinished.quiz_id]
        return Continuation(
            quiz.title, "learn.attempt", {"quiz_id": quiz.id, "number": unfinished.number}
        )
    if last_read is None:
        return None
    course = catalogue.courses[last_read.course_id]
    if progress[course.id].is_complete:
        return _next_course(catalogue, course, progress)
    return _within(course, progress[course.id])


def _within(course: Course, progress: CourseProgress) -> Continuation:
    """The next module to read, or the course page once every module is read."""
    if progress.next_module is None:
        return Continuation(course.title, "learn.course", {"course_id": course.id})
    return Continuation(
        progress.next_module.title,
        "learn.module",
        {"course_id": course.id, "module_id": progress.next_module.id},
    )


def _next_course(
    catalogue: Catalogue, finished: Course, progress: Mapping[str, CourseProgress]
) -> Continuation | None:
    """After a completed course, the next one the learner has not completed: where they left
    it if they have begun it, else its overview. None once every course is complete."""
    courses = list(catalogue.courses.values())
    after = courses.index(finished) + 1
    for course in courses[after:] + courses[:after]:
        if progress[course.id].completion is None:
            if progress[course.id].has_started:
                return _within(course, progress[course.id])
            return Continuation(
                course.title, "learn.course", {"course_id": course.id}, "Start your next course"
            )
    return None


def completion_to_announce(
    catalogue: Catalogue, activity: Activity, progress: Mapping[str, CourseProgress]
) -> CourseProgress | None:
    """The learner's newest completion while nothing has been done since: the home page says so."""
    completion = activity.newest_completion()
    if completion is None or completion.course_id not in catalogue.courses:
        return None
    # A completion carries the time of the read or pass that made it: that is not "since".
    last_step_at = activity.last_step_at()
    if last_step_at is not None and last_step_at > completion.completed_at:
        return None
    announced = progress[completion.course_id]
    return announced if announced.is_complete else None
