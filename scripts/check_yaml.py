"""YAML syntax of the files given (a pre-commit hook): one `FILE:LINE: yaml: message` per broken file, exit 1."""

from __future__ import annotations

import sys

import yaml


def main(paths: list[str]) -> int:
    broken = 0
    for path in paths:
        try:
            with open(path, encoding="utf-8") as stream:
                for _ in yaml.safe_load_all(stream):
                    pass
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else 1
            print(f"{path}:{line}: yaml: {exc.problem or exc}")
            broken += 1
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            print(f"{path}:1: yaml: {exc}")
            broken += 1
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
