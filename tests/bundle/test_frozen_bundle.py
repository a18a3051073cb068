"""The shipped folder: ``build.spec`` built with PyInstaller, then run as the clerk's PC runs it.

One build per test session (about a minute on two cores) into a temporary
folder. The frozen program then does, headless, what the Windows workflow does
after its own build: ``--version``, import a 数据包, export Excel and PDF, and
``selftest`` (which opens the real window offscreen and closes it). Nothing here
imports the program from the source tree into the frozen runs: each step is a
child process of the bundle's own executable.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import __version__

REPO = Path(__file__).resolve().parents[2]
CASES = REPO.parent / "shared" / "cases"
CASE = CASES / "seed003-open-2021.json"
BUDGET_MB = 150
WINDOWS = sys.platform == "win32"
EXE = ".exe" if WINDOWS else ""

pytest.importorskip("PyInstaller", reason="PyInstaller is part of the test dependencies")


def folder_size(folder: Path) -> int:
    """Bytes on disk once unzipped: regular files, links counted as links."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() or p.is_symlink())


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pyinstaller")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            str(REPO / "build.spec"),
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(out / "dist"),
            "--workpath",
            str(out / "work"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, (
        f"PyInstaller failed:\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
    )
    return out / "dist" / "jixiao"


def frozen(
    bundle: Path, *args: str, tmp: Path, timeout: float = 120
) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        # The bundle must stand on its own: no source tree, no site-packages.
        if key not in ("PYTHONPATH", "PYTHONHOME", "JIXIAO_DB")
    }
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["XDG_CONFIG_HOME"] = str(tmp / "config")  # never the developer's QSettings
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [str(bundle / f"jixiao-cli{EXE}"), *args],
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


def test_version(bundle: Path, tmp_path: Path) -> None:
    done = frozen(bundle, "--version", tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"绩效目标申报助手 {__version__}"


def test_import_then_export_excel_and_pdf(bundle: Path, tmp_path: Path) -> None:
    import openpyxl
    import pypdfium2 as pdfium

    db = tmp_path / "jixiao.db"
    names = [p["name"] for p in json.loads(CASE.read_text(encoding="utf-8"))["projects"]]
    done = frozen(bundle, "import", str(CASE), "--db", str(db), tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    listed = frozen(bundle, "list", "--json", "--db", str(db), tmp=tmp_path)
    assert sorted(p["name"] for p in json.loads(listed.stdout)) == sorted(names)

    for fmt in ("xlsx", "pdf"):
        done = frozen(
            bundle, "export", "--format", fmt, "--out", str(tmp_path / fmt), "--db", str(db),
            tmp=tmp_path,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    workbooks = sorted((tmp_path / "xlsx").glob("*.xlsx"))
    pdfs = sorted((tmp_path / "pdf").glob("*.pdf"))
    assert len(workbooks) == len(pdfs) == len(names)

    vehicle = next(p for p in workbooks if "车辆购置费" in p.name)
    sheet = openpyxl.load_workbook(io.BytesIO(vehicle.read_bytes())).worksheets[0]
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "车辆购置费" in cells

    doc = pdfium.PdfDocument(next(p for p in pdfs if "车辆购置费" in p.name).read_bytes())
    try:
        text = doc[0].get_textpage().get_text_range()
    finally:
        doc.close()
    # The CJK font was found and embedded by the frozen reportlab: the text extracts.
    assert "车辆购置费" in text and "项目支出绩效目标申报表" in text.replace("\n", "")


def test_selftest_opens_the_window_and_quits(bundle: Path, tmp_path: Path) -> None:
    db = tmp_path / "jixiao.db"
    assert frozen(bundle, "import", str(CASE), "--db", str(db), tmp=tmp_path).returncode == 0
    projects = len(json.loads(CASE.read_text(encoding="utf-8"))["projects"])
    done = frozen(bundle, "selftest", "--db", str(db), tmp=tmp_path)
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stdout + done.stderr
    assert lines[-1] == "自检通过。"
    assert any(line.startswith("✓ 程序：") and "安装版" in line for line in lines)
    assert "✓ 中文界面：标准按钮“取消”" in lines  # qtbase_zh_CN.qm came along
    assert any(line.startswith("✓ 窗口：") and f"列表 {projects} 个项目" in line for line in lines)


def test_old_database_is_migrated_by_the_frozen_alembic(bundle: Path, tmp_path: Path) -> None:
    expected = json.loads(
        (REPO / "tests" / "fixtures" / "db" / "schema-0001.json").read_text("utf-8")
    )
    db = tmp_path / "old.db"
    db.write_bytes((REPO / "tests" / "fixtures" / "db" / "schema-0001.db").read_bytes())
    done = frozen(bundle, "list", "--json", "--db", str(db), tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == len(expected["projects"])
    assert [b.name.endswith("-migration.db") for b in (tmp_path / "backups").iterdir()] == [True]


def test_bundle_holds_what_it_needs_and_no_more(bundle: Path) -> None:
    internal = bundle / "_internal"
    files = {p.relative_to(internal).as_posix() for p in internal.rglob("*") if p.is_file()}
    names = {Path(f).name for f in files}
    assert "resources/icon.png" in files
    assert "desktop/store/migrations/env.py" in files
    assert {"0001_initial.py", "0002_trash.py"} <= names
    translations = sorted(n for n in names if n.endswith(".qm"))
    assert "qtbase_zh_CN.qm" in translations
    assert all(n.endswith("_zh_CN.qm") for n in translations), translations
    unwanted = (
        "numpy",
        "Qt6Network",
        "Qt6Qml",
        "Qt6Quick",
        "Qt6Svg",
        "qgtk3",
        "qwayland",
        "tkinter",
    )
    assert not [f for f in files if any(u in f for u in unwanted)]
    size_mb = folder_size(bundle) / 2**20
    assert size_mb < BUDGET_MB, f"bundle {size_mb:.1f} MB, budget {BUDGET_MB} MB"
