"""Render the README pictures of the printed tables from the reference cases.

    python docs/render_forms.py

Exports three reference projects to PDF exactly as the program does (草稿 when
the project has errors) and turns chosen pages into PNGs with ``pdftoppm``
(poppler-utils), or PDFium when poppler is not installed. Writes docs/form-*.png.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT.parent / "shared" / "cases"
# The Songjiang budget book's two projects (seeds/songjiang-2020-budget-excerpt.txt) as a 数据包.
SONGJIANG = ROOT / "tests" / "fixtures" / "songjiang-2020.json"
sys.path.insert(0, str(ROOT))

# (数据包 file, project name, [(page number, picture name)])
PICTURES = (
    (
        CASES / "seed000-001-minhang-2020.json",
        "政府雇员项目",
        [(1, "form-minhang-a1"), (3, "form-minhang-a2"), (4, "form-minhang-a3")],
    ),
    (
        CASES / "seed003-open-2021.json",
        "车辆购置费",
        [(1, "form-shanghai-2021"), (2, "form-shanghai-2021-guarantees")],
    ),
    (
        SONGJIANG,
        "创业就业",
        [(1, "form-shanghai-2020-explanation"), (2, "form-shanghai-2020")],
    ),
)
DPI = 60


def _png(pdf: Path, page: int, out: Path) -> None:
    if shutil.which("pdftoppm"):
        stem = out.with_suffix("")
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(DPI),
                "-png",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(pdf),
                str(stem),
            ],
            check=True,
        )
        return
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf.read_bytes())
    doc[page - 1].render(scale=DPI / 72).to_pil().save(out)
    doc.close()


def main() -> None:
    from desktop.config import load_rule_settings
    from desktop.export.package import read_package_file
    from desktop.export.pdf_writer import write_pdf
    from desktop.models.rules import Context, key_of, validate

    with tempfile.TemporaryDirectory() as tmp:
        for case, name, pages in PICTURES:
            projects = read_package_file(case).projects
            project = next(p for p in projects if p.name == name)
            findings = validate(
                project, load_rule_settings(), Context.of(key_of(p) for p in projects)
            )
            pdf = write_pdf(
                project, Path(tmp) / "form.pdf", draft=any(f.is_error for f in findings)
            )
            for page, picture in pages:
                _png(pdf, page, ROOT / "docs" / f"{picture}.png")
                print(f"docs/{picture}.png")


if __name__ == "__main__":
    main()
