"""What one area tells the others without importing them: signals sent inside a transaction.

Receivers run at once, in the sender's database session, so what they add is committed (or
rolled back) with the fact that caused it.
"""

from blinker import Namespace

_signals = Namespace()

# Sent with the new CourseCompletion (flushed, not yet committed) and course=the Course.
course_completed = _signals.signal("course-completed")

# Sent with the User about to be deleted, before the delete is flushed: a receiver keeps what
# must outlive the account without naming the person (reports keep anonymous completions).
account_deleting = _signals.signal("account-deleting")
