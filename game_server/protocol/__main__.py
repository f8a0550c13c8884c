"""`python -m game_server.protocol --write | --check`: generate or check web_client/src/protocol.gen.js."""

from __future__ import annotations

import argparse
import sys

from game_server.protocol.mirror import TARGET, render


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true", help="write the generated file")
    group.add_argument("--check", action="store_true", help="exit 1 if the generated file is stale")
    args = parser.parse_args()
    text = render()
    if args.write:
        TARGET.write_text(text, encoding="utf-8")
        print(f"wrote {TARGET}")
        return 0
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
    if current != text:
        print(f"{TARGET} is stale: run python -m game_server.protocol --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
