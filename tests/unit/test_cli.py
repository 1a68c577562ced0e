"""The command line: `crmbot parse` is a public JSON interface; errors are one line."""

from __future__ import annotations

import json
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from bot.cli import COMMANDS_GROUP, main

KEYS = [
    "intent",
    "customer",
    "contact",
    "phone",
    "channel",
    "partner",
    "amount",
    "currency",
    "due",
    "assignee",
    "note",
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main(["parse", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_parse_prints_exactly_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(
        capsys,
        "/visit 万科 12万 渠道华泰经销，下周二下午3点跟进报价",
        "--now",
        "2026-11-24T10:00:00+08:00",
        "--tz",
        "Asia/Shanghai",
    )
    assert list(out) == KEYS
    assert out["intent"] == "visit" and out["customer"] == "万科"
    assert out["amount"] == 120000 and out["currency"] == "CNY"
    assert out["channel"] == "distributor" and out["partner"] == "华泰"
    assert out["due"] == "2026-12-01T15:00:00+08:00"


def test_parse_with_the_bots_name_reads_its_mention_as_no_assignee(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = "@crm_bot visited Acme today, call back Friday"
    when = ("--now", "2026-11-24T10:00:00+08:00", "--tz", "Asia/Shanghai")
    assert run(capsys, text, *when)["assignee"] == "crm_bot"  # any other @name is a person
    out = run(capsys, text, *when, "--bot", "@crm_bot")
    assert out["assignee"] is None and out["customer"] == "Acme" and out["intent"] == "visit"


def test_parse_english_in_another_zone(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(
        capsys,
        "#followup Globex tomorrow 3pm send $3.5k samples @bob",
        "--now",
        "2026-11-24T10:00:00-05:00",
        "--tz",
        "America/New_York",
    )
    assert out["intent"] == "followup" and out["customer"] == "Globex"
    assert out["due"] == "2026-11-25T15:00:00-05:00"
    assert out["amount"] == 3500 and out["currency"] == "USD"
    assert out["assignee"] == "bob"


def test_parse_nothing_is_nulls(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "", "--now", "2026-11-24T10:00:00+08:00")
    assert out["intent"] is None and out["due"] is None and out["amount"] is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--tz", "Nowhere/City"], "--tz 'Nowhere/City' is not a time zone"),
        (["--now", "yesterday"], "--now 'yesterday' is not ISO 8601"),
    ],
)
def test_parse_bad_options_are_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["parse", "x", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_db_upgrade(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    assert main(["db", "upgrade"]) == 0
    assert "database is up to date" in capsys.readouterr().out
    assert (tmp_path / "x.db").exists()


def test_plugin_commands_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "play a scripted team conversation" in out  # demo
    assert "chat with the bot in the terminal" in out  # chat


def test_a_plugin_that_is_not_installed_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = EntryPoint(name="demo", value="no_such_package.cli:demo", group=COMMANDS_GROUP)
    monkeypatch.setattr("bot.cli.entry_points", lambda group: [missing])
    assert main(["demo", "--lang", "zh"]) == 2
    err = capsys.readouterr().err
    assert err == "crmbot demo needs the demo extra: pip install 'crmbot[demo]'\n"


def test_run_tunes_the_garbage_collector_before_serving(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import gc

    from bot import polling
    from bot.app import GC_THRESHOLDS

    seen: dict[str, object] = {}

    async def serve(app: object) -> None:  # stands in for polling Telegram
        seen["threshold"] = gc.get_threshold()
        seen["frozen"] = gc.get_freeze_count()

    before = gc.get_threshold()
    monkeypatch.setattr(polling, "serve_polling", serve)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'run.db'}")
    try:
        assert main(["run"]) == 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
    assert seen["threshold"] == GC_THRESHOLDS
    assert isinstance(seen["frozen"], int) and seen["frozen"] > 0
    assert GC_THRESHOLDS[0] > before[0]
