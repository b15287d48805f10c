#!/usr/bin/env python3
"""Checks the README's examples against the binary: every fenced block whose lines start with
`$ worth …` is run (from the repository's root, stdout and stderr together) and what the block
shows under each command must be what it prints. A line of only `…` stands for any number of lines
(none included); `…` inside a line stands for any text there (a time, say).

Usage: Tests/readme/readme.py [path/to/worth] [README.md]
"""
import os
import re
import shlex
import subprocess
import sys

ELLIPSIS = "…"


def examples(text):
    """(line number, command words, expected lines) for each `$ worth` line in a fenced block."""
    found, block, start = [], None, 0
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("```"):
            if block is None:
                block, start = [], number
            else:
                found += commands(block, start)
                block = None
        elif block is not None:
            block.append(line)
    return found


def commands(block, start):
    indent = min((len(l) - len(l.lstrip()) for l in block if l.strip()), default=0)
    lines = [l[indent:] for l in block]
    out = []
    for i, line in enumerate(lines):
        if line.startswith("$ worth "):
            expected = []
            for follow in lines[i + 1:]:
                if follow.startswith("$ "):
                    break
                expected.append(follow.rstrip())
            while expected and not expected[-1]:
                expected.pop()
            out.append((start + 1 + i, shlex.split(line[2:])[1:], expected))
    return out


def line_matches(pattern, line):
    if ELLIPSIS not in pattern:
        return pattern == line.rstrip()
    parts = [re.escape(p) for p in pattern.split(ELLIPSIS)]
    return re.fullmatch(".*".join(parts), line.rstrip()) is not None


def matches(expected, actual):
    """Whether `actual` lines are `expected`, each `…` line standing for any run of lines."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head.strip() == ELLIPSIS:
        return any(matches(rest, actual[k:]) for k in range(len(actual) + 1))
    return bool(actual) and line_matches(head, actual[0]) and matches(rest, actual[1:])


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    worth = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(root, ".build/debug/worth")
    readme = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "README.md")
    checked, failed = 0, 0
    for number, words, expected in examples(open(readme, encoding="utf-8").read()):
        run = subprocess.run([worth] + words, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        actual = run.stdout.splitlines()
        checked += 1
        if not matches(expected, actual):
            failed += 1
            print(f"README line {number}: worth {' '.join(words)} printed (exit {run.returncode}):")
            print("\n".join("  | " + l for l in actual[:40]))
            print("where the README shows:")
            print("\n".join("  | " + l for l in expected))
    print(f"readme: {checked} examples checked, {failed} differ")
    return 1 if failed or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
