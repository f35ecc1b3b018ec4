"""A process killed in the middle of recording leaves nothing half-written, and a restart
carries on from the last complete fact."""

import subprocess
import sys
import textwrap

from tests.app.test_learning import RIGHT_CHECK
from tests.conftest import VALID_CONTENT, make_app, make_user, sign_in
from trainer.extensions import db
from trainer.models import Answer, Attempt

# Run in a separate process, which dies (os._exit, as a kill would) after every answer of a
# knowledge check has been written to the transaction and before it is committed.
DIE_MID_SUBMISSION = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {root!r})
    from tests.conftest import make_app, sign_in
    import trainer.learn.attempts as attempts

    def killed(*args, **kwargs):
        os._exit(9)

    attempts._finish = killed
    app = make_app(__import__("pathlib").Path({folder!r}), SQLALCHEMY_DATABASE_URI={url!r})
    client = app.test_client()
    sign_in(client, "lena@example.org")
    client.post({attempt_url!r}, data={form!r})
    os._exit(0)  # not reached: the submission must have died first
    """
)


def test_a_process_killed_mid_submission_leaves_no_partial_attempt_and_resumes(tmp_path):
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.create_all()
        make_user("learner", email="lena@example.org")
    client = app.test_client()
    sign_in(client, "lena@example.org")
    attempt_url = client.post("/quizzes/basics-check/start").headers["Location"]
    script = DIE_MID_SUBMISSION.format(
        root=str(VALID_CONTENT.parents[3]),
        folder=str(tmp_path),
        url=url,
        attempt_url=attempt_url,
        form=RIGHT_CHECK,
    )
    died = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert died.returncode == 9, died.stderr.decode()[-2000:]

    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 0
        attempt = db.session.scalars(db.select(Attempt)).one()
        assert attempt.finished_at is None
    # After the restart the same attempt carries on and finishes once.
    assert client.post("/quizzes/basics-check/start").headers["Location"] == attempt_url
    client.post(attempt_url, data=RIGHT_CHECK)
    with app.app_context():
        attempt = db.session.scalars(db.select(Attempt)).one()
        assert attempt.passed is True
        assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 4
