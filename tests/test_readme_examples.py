"""The README's command-line examples work as written, and its sample ``check`` output is real.

The ```bash block after "Examples with the reference cases:" is run line by line
against a temporary database, in a folder where ``../shared/cases`` holds the
reference cases (as beside the repository); each command must exit as the README's
exit codes say (``check`` 1: the 2021 cases have errors; every other one 0) and write
what its ``--out`` / ``>`` names. The block after "`check` prints, for example:" must
be lines ``check`` really prints, one after the other.

Issue 16 found both stale: ``--id 3f2a`` could never work (ids are random; the example
now picks the project by ``--name``) and the sample skipped a line ``check`` prints.
"""

from __future__ import annotations

import contextlib
import glob
import io
import json
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CASES, REPO

from desktop.cli import main

README = (REPO / "README.md").read_text(encoding="utf-8")
EXAMPLES_AT = "Examples with the reference cases:"
SAMPLE_AT = "`check` prints, for example:"
PREFIX = ["python", "-m", "desktop"]

# The README before issue 16's update: an id no database has, and a sample missing a line.


def block_after(marker: str) -> list[str]:
    """The lines of the first fenced block after ``marker`` in README.md."""
    start = README.index(marker)
    fence = re.compile(r"^```[a-z]*\n(.*?)^```", re.S | re.M)
    found = fence.search(README, start)
    assert found, f"no code block after {marker!r}"
    return [line for line in found.group(1).splitlines() if line.strip()]


@dataclass
class Ran:
    line: str
    argv: list[str]
    code: int
    out: str
    err: str


def _command(line: str, cwd: Path) -> tuple[list[str], str | None]:
    """The arguments after ``python -m desktop`` (globs expanded) and a ``>`` target."""
    words = shlex.split(line, comments=True)
    assert words[:3] == PREFIX, f"not a `python -m desktop` command: {line}"
    redirect = None
    if ">" in words:
        at = words.index(">")
        redirect = words[at + 1]
        words = words[:at] + words[at + 2 :]
    argv: list[str] = []
    for word in words[3:]:
        if any(c in word for c in "*?["):
            matches = sorted(glob.glob(str(cwd / word)))
            assert matches, f"{word} matches no file"
            argv += matches
        else:
            argv.append(word)
    return argv, redirect


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Ran]]:
    root = tmp_path_factory.mktemp("readme")
    shutil.copytree(CASES, root / "shared" / "cases")  # ../shared/cases from the work folder
    work = root / "work"
    work.mkdir()
    ran: list[Ran] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(work)
        mp.delenv("JIXIAO_DB", raising=False)
        mp.setenv("XDG_DATA_HOME", str(root / "data"))  # no settings.json of this machine
        for line in block_after(EXAMPLES_AT):
            argv, redirect = _command(line, work)
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(argv)
            if redirect:
                (work / redirect).write_text(out.getvalue(), encoding="utf-8")
            ran.append(Ran(line, argv, code, out.getvalue(), err.getvalue()))
    return work, ran


def test_every_example_exits_as_documented_and_writes_its_file(
    examples: tuple[Path, list[Ran]],
) -> None:
    work, ran = examples
    assert ran and ran[0].argv[0] == "import"
    for r in ran:
        expected = 1 if r.argv[0] == "check" else 0  # the reference 2021 cases have errors
        assert r.code == expected, f"{r.line}\n→ exit {r.code}\n{r.out}{r.err}"
        if "--out" in r.argv:
            target = work / r.argv[r.argv.index("--out") + 1]
            assert target.exists(), f"{r.line}: {target.name} not written"
            if target.is_dir():
                assert any(target.iterdir()), f"{r.line}: {target.name} is empty"
    for r in ran:
        if ">" in shlex.split(r.line, comments=True):
            redirect = shlex.split(r.line, comments=True)[-1]
            json.loads((work / redirect).read_text(encoding="utf-8"))  # check --json: JSON


def test_the_sample_check_output_is_what_check_prints(
    examples: tuple[Path, list[Ran]],
) -> None:
    _, ran = examples
    sample = block_after(SAMPLE_AT)
    assert len(sample) >= 2
    printed = [
        r.out.splitlines()
        for r in ran
        if r.argv[0] == "check" and "--json" not in r.argv and r.code in (0, 1)
    ]
    assert printed, "the examples run no text `check`"

    def contiguous_in(lines: list[str]) -> bool:
        n = len(sample)
        return any(lines[i : i + n] == sample for i in range(len(lines) - n + 1))

    assert any(contiguous_in(lines) for lines in printed), "\n".join(
        ["README sample:", *sample, "", "check printed:", *printed[0][:12]]
    )
