"""Sign-in limits that hold behind the documented proxy: per address and per account."""

import pytest

from tests.conftest import fresh_database, make_app, sign_in
from trainer.extensions import limiter


def statuses(client, tries, email="nobody@example.org", address=None):
    headers = {"X-Forwarded-For": address} if address else {}
    return [
        client.post(
            "/auth/login", data={"email": email, "password": "x"}, headers=headers
        ).status_code
        for _ in range(tries)
    ]


@pytest.fixture
def limited(tmp_path, request):
    proxies = request.param
    app = make_app(
        tmp_path,
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="3 per minute",
        ACCOUNT_LOGIN_RATE_LIMIT="5 per minute",
        PROXY_COUNT=proxies,
    )
    with fresh_database(app):
        yield app.test_client()


@pytest.mark.parametrize("limited", [0], indirect=True)
def test_without_a_trusted_proxy_a_forged_forwarded_address_changes_nothing(limited):
    assert statuses(limited, 3, address="10.0.0.1") == [200, 200, 200]
    assert statuses(limited, 1, address="10.0.0.2") == [429]


@pytest.mark.parametrize("limited", [1], indirect=True)
def test_behind_one_trusted_proxy_each_client_address_has_its_own_limit(limited):
    assert statuses(limited, 4, address="10.0.0.1") == [200, 200, 200, 429]
    assert statuses(limited, 1, address="10.0.0.2") == [200]


@pytest.mark.parametrize("limited", [1], indirect=True)
def test_one_account_is_throttled_whichever_addresses_the_tries_come_from(limited):
    tries = [statuses(limited, 1, "Lena@Example.org", f"10.0.1.{n}")[0] for n in range(6)]
    assert tries == [200, 200, 200, 200, 200, 429]
    assert statuses(limited, 1, "someone.else@example.org", "10.0.2.1") == [200]


def test_production_with_counters_in_memory_says_so_at_start(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("TRAINER_ENV", "production")
    monkeypatch.setenv("TRAINER_BASE_URL", "https://training.example.org")
    make_app(tmp_path, SECRET_KEY="a-production-key-of-more-than-32-bytes")
    assert "rate-limit counters are kept in this process" in caplog.text


def test_sign_in_still_works_with_limits_on(tmp_path):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True)
    with fresh_database(app):
        assert sign_in(app.test_client(), "nobody@example.org", "x").status_code == 200


def test_a_limit_set_for_every_page_still_counts(tmp_path):
    try:
        app = make_app(tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="2 per minute")
        with fresh_database(app):
            client = app.test_client()
            assert [client.get("/glossary").status_code for _ in range(3)] == [200, 200, 429]
    finally:
        limiter.limit_manager.set_default_limits([])  # the limiter outlives this app


def test_pages_without_a_limit_are_not_counted(tmp_path):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute")
    with fresh_database(app):
        client = app.test_client()
        assert {client.get("/glossary").status_code for _ in range(5)} == {200}
        assert statuses(client, 3) == [200, 200, 429]
