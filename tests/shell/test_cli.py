"""`python -m game_server` settings: flags, environment variables, precedence, --help, bad values."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from game_server.__main__ import OPTIONS, parse_config
from game_server.config import Config

ROOT = Path(__file__).resolve().parents[2]


def test_defaults():
    cfg = parse_config([], {})
    assert (cfg.host, cfg.port, cfg.redis_url) == ("127.0.0.1", 8080, None)
    assert cfg == Config()


def test_environment_then_flags_win():
    env = {
        "DOODLEAI_HOST": "0.0.0.0", "DOODLEAI_PORT": "9000", "REDIS_URL": "redis://r:6379/0",
        "DOODLEAI_LOG_FORMAT": "text", "DOODLEAI_RECONNECT_GRACE": "15", "DOODLEAI_MODEL": "small",
    }
    cfg = parse_config([], env)
    assert (cfg.host, cfg.port, cfg.log_format) == ("0.0.0.0", 9000, "text")
    assert cfg.redis_url == "redis://r:6379/0"
    assert (cfg.reconnect_grace, cfg.model_name) == (15.0, "small")
    cfg = parse_config(["--port", "9100", "--redis-url", "redis://flag/1", "--log-level", "DEBUG"], env)
    assert (cfg.port, cfg.redis_url, cfg.log_level, cfg.host) == (9100, "redis://flag/1", "debug", "0.0.0.0")
    both = {"REDIS_URL": "redis://generic/0", "DOODLEAI_REDIS_URL": "redis://specific/0"}
    assert parse_config([], both).redis_url == "redis://specific/0"


@pytest.mark.parametrize(
    ("argv", "env", "needle"),
    [
        (["--port", "http"], {}, "--port"),
        ([], {"DOODLEAI_PORT": "70000"}, "DOODLEAI_PORT"),
        (["--log-format", "xml"], {}, "--log-format"),
        ([], {"DOODLEAI_LOG_LEVEL": "loud"}, "DOODLEAI_LOG_LEVEL"),
        (["--reconnect-grace", "-1"], {}, "--reconnect-grace"),
    ],
)
def test_bad_values_exit_2_naming_the_source(argv, env, needle, capsys):
    with pytest.raises(SystemExit) as exc:
        parse_config(argv, env)
    assert exc.value.code == 2
    assert needle in capsys.readouterr().err


def test_help_documents_every_flag_and_environment_variable():
    out = subprocess.run(
        [sys.executable, "-m", "game_server", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    assert out.returncode == 0
    for opt in OPTIONS:
        assert opt.flag in out.stdout
        for env in opt.envs:
            assert env in out.stdout


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return [parser, *(p for s in subs for p in s.choices.values())]


@pytest.mark.parametrize("cli", ["game_server", "training"])
def test_every_flag_has_help_that_shows_its_default(cli: str):
    """Both CLIs: every flag explains itself and shows its default; no raw reST backticks; examples."""
    if cli == "game_server":
        from game_server.__main__ import build_parser
    else:
        from training.__main__ import build_parser
    root = build_parser()
    assert "examples:" in root.format_help()
    for parser in _parsers(root):
        formatter = parser._get_formatter()
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
                continue
            text = formatter._expand_help(action)
            assert action.help and len(action.help) > 10, (parser.prog, action.option_strings)
            assert "default: " in text, (parser.prog, action.option_strings, text)
            assert "default: ]" not in text and "default: None" not in text, (parser.prog, text)
        assert "``" not in parser.format_help() and "`" not in parser.format_help(), parser.prog


@pytest.mark.parametrize(
    ("argv", "env", "url"),
    [
        ([], {}, "http://127.0.0.1:8080"),
        (["--port", "9000"], {}, "http://127.0.0.1:9000"),
        ([], {"DOODLEAI_PORT": "9100"}, "http://127.0.0.1:9100"),
        (["--host", "0.0.0.0", "--port", "9001"], {}, "http://127.0.0.1:9001"),
        (["--port", "nope"], {}, ""),  # bad flags: nothing; the server itself says what is wrong
        (["--help"], {}, ""),
    ],
)
def test_play_sh_prints_the_url_the_server_will_use(argv, env, url):
    """scripts/play.sh announces the address through print_browser_url with its own arguments."""
    play = (ROOT / "scripts" / "play.sh").read_text()
    assert "print_browser_url" in play and '"$@"' in play
    code = "import sys; from game_server.__main__ import print_browser_url as p; p(sys.argv[1:])"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DOODLEAI_")}
    out = subprocess.run([sys.executable, "-c", code, *argv], cwd=ROOT, env={**clean, **env},
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0 and out.stdout.strip() == url, out
