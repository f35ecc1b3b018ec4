"""The `trainer` command: clear output on success, a message and non-zero exit on failure."""

from click.testing import CliRunner

from tests.conftest import FIXTURES, VALID_CONTENT, make_app
from trainer import demo
from trainer.cli import main
from trainer.extensions import db
from trainer.models import CourseCompletion, User


def test_check_content_prints_a_one_line_summary():
    result = CliRunner().invoke(main, ["check-content", "--content-dir", str(VALID_CONTENT)])
    assert result.exit_code == 0
    assert result.output == (
        "Content OK: 1 course, 2 modules, 1 case example, 3 quizzes, 2 glossary terms\n"
    )


def test_check_content_lists_each_problem_and_fails(tmp_path):
    import shutil

    shutil.copytree(VALID_CONTENT, tmp_path / "c")
    shutil.copytree(FIXTURES / "content/broken/dangling_next", tmp_path / "c", dirs_exist_ok=True)
    result = CliRunner().invoke(main, ["check-content", "--content-dir", str(tmp_path / "c")])
    assert result.exit_code == 1
    assert "quizzes/bruise-scenario.yaml: steps[0].choices[0].next: goes to unknown step" in (
        result.output
    )
    assert "Error: 1 problem(s) in" in result.output


def test_check_content_reads_the_content_dir_from_the_environment(monkeypatch):
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(VALID_CONTENT))
    result = CliRunner().invoke(main, ["check-content"])
    assert result.exit_code == 0, result.output


def test_init_db_creates_the_schema_through_migrations(tmp_path):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'fresh.db'}")
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("Database is up to date.\n")
    with app.app_context():
        tables = set(db.inspect(db.engine).get_table_names())
    assert {"user", "organisation", "role_grant", "audit_event", "alembic_version"} <= tables


def test_seed_demo_prints_one_account_per_role_and_can_run_twice(tmp_path):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'demo.db'}")
    runner = app.test_cli_runner()
    runner.invoke(args=["init-db"])
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == second.exit_code == 0
    assert first.output == second.output  # same accounts, same passwords
    for email in ("learner@", "trainer@", "lead@", "admin@"):
        assert email in first.output
    with app.app_context():
        people = db.session.scalar(db.select(db.func.count()).select_from(User))
        assert people == len(demo.ACCOUNTS) + len(demo.STAFF)  # the lead's staff, added once
        completed = [s for *_rest, s in demo.STAFF if s in demo.REFRESHER_IN]
        assert db.session.scalar(db.select(db.func.count()).select_from(CourseCompletion)) == len(
            completed
        )


def test_demo_password_printed_is_the_one_that_works(tmp_path):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'demo.db'}")
    runner = app.test_cli_runner()
    runner.invoke(args=["init-db"])
    line = next(
        line for line in runner.invoke(args=["seed-demo"]).output.splitlines() if "learner@" in line
    )
    password = line.rsplit("password: ", 1)[1]
    response = app.test_client().post(
        "/auth/login", data={"email": "learner@example.org", "password": password}
    )
    assert response.status_code == 302


def test_create_user_refuses_a_short_password_and_changes_nothing(app, runner):
    result = runner.invoke(
        args=["create-user", "--email", "a@example.org", "--name", "A", "--role", "learner"],
        input="short\nshort\n",
    )
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_create_user_makes_an_account_with_several_roles(app, runner):
    result = runner.invoke(
        args=[
            "create-user", "--email", "Trainer@Example.org", "--name", "Tia",
            "--role", "trainer", "--role", "learner", "--password", "a long enough password",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.session.scalars(db.select(User)).one()
    assert (user.email, user.role_names) == ("trainer@example.org", {"trainer", "learner"})


def test_create_user_refuses_an_unknown_role(app, runner):
    result = runner.invoke(
        args=[
            "create-user", "--email", "a@example.org", "--name", "A", "--role", "wizard",
            "--password", "a long enough password",
        ]
    )  # fmt: skip
    assert result.exit_code == 1
    assert "roles must be chosen from: learner, trainer, lead, admin" in result.output
