"""The command line: ``python -m desktop COMMAND``.

Exit codes: 0 done (``check``: no error), 1 ``check`` found errors,
2 unusable input or arguments (nothing was written).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desktop import __version__
from desktop.models.project import FAMILIES

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


class Refused(Exception):
    """The command cannot go on; ``message`` (Chinese) says why. Exit code 2, nothing written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# argparse's own words, in Chinese (it looks them up through gettext at call time).
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的值",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "show program's version number and exit": "显示版本号并退出",
}


def _zh(text: str) -> str:
    return _ARGPARSE_ZH.get(text, text)


argparse._ = _zh  # type: ignore[attr-defined]


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _year(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"年度应为整数，如 2021，而不是“{text}”") from None
    if not 1000 <= value <= 9999:
        raise argparse.ArgumentTypeError(f"年度应为四位数字，而不是“{text}”")
    return value


def build_parser() -> argparse.ArgumentParser:
    db_help = "数据库文件（默认：环境变量 JIXIAO_DB，或用户数据目录中的 jixiao.db）"
    parser = argparse.ArgumentParser(
        prog="python -m desktop",
        description="绩效目标申报助手：财政项目支出绩效目标申报表的填报、校验与导出。不带命令时打开程序窗口。",
    )
    parser.add_argument("--db", metavar="PATH", help="打开窗口时使用的数据库文件")
    parser.add_argument(
        "--version",
        action="version",
        version=f"绩效目标申报助手 {__version__}",
        help="显示版本号并退出",
    )
    sub = parser.add_subparsers(dest="command", metavar="命令", title="命令")

    p = sub.add_parser(
        "import",
        help="导入数据包或申报表 Excel",
        description="导入一个或多个数据包（.json）或本程序导出的申报表（.xlsx）；全部成功才写入。",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="数据包 .json 或申报表 .xlsx 文件")
    p.add_argument("--db", metavar="PATH", help=db_help)
    p.add_argument(
        "--replace",
        action="store_true",
        help="已有的同一项目（编号相同，或年度、项目名称、实施单位相同而内容不同）用文件中的内容替换",
    )
    p.add_argument(
        "--as-new",
        action="store_true",
        help="年度、项目名称、实施单位与已有项目相同而内容不同的，另存为新项目",
    )

    p = sub.add_parser("list", help="列出项目", description="列出数据库中的项目。")
    p.add_argument("--db", metavar="PATH", help=db_help)
    p.add_argument("--year", type=_year, metavar="Y", help="只列出该年度")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")

    p = sub.add_parser(
        "check",
        help="校验项目",
        description="校验数据库中的项目，或校验一个数据包文件（不写入数据库）。"
        "退出码：0 无错误，1 有错误，2 输入无法使用。",
    )
    p.add_argument(
        "file", nargs="?", metavar="FILE", help="要校验的数据包文件（省略则校验数据库中的项目）"
    )
    p.add_argument("--db", metavar="PATH", help=db_help)
    p.add_argument("--year", type=_year, metavar="Y", help="只校验该年度")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")

    p = sub.add_parser("export-json", help="导出数据包", description="把项目导出为一个数据包文件。")
    p.add_argument("--out", required=True, metavar="FILE", help="输出的 .json 文件")
    p.add_argument("--db", metavar="PATH", help=db_help)
    p.add_argument("--year", type=_year, metavar="Y", help="只导出该年度")
    p.add_argument(
        "--id", nargs="+", metavar="N", dest="ids", help="只导出这些项目（编号或编号开头几位）"
    )
    p.add_argument("--name", metavar="TEXT", help="只导出项目名称为 TEXT 的项目")
    p = sub.add_parser(
        "export",
        help="导出申报表（Excel 或 PDF）",
        description="把项目的申报表导出为 Excel 工作簿或可打印的 PDF，一个项目一个文件。"
        "有错误的项目照常导出，每页标“草稿”。",
    )
    p.add_argument("--format", required=True, choices=("xlsx", "pdf"), help="xlsx 或 pdf")
    p.add_argument(
        "--out",
        required=True,
        metavar="PATH",
        help="输出文件；导出多个项目时为文件夹（不存在则新建）",
    )
    p.add_argument("--db", metavar="PATH", help=db_help)
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--year", type=_year, metavar="Y", help="导出该年度的全部项目")
    scope.add_argument(
        "--id", nargs="+", metavar="N", dest="ids", help="只导出这些项目（编号或编号开头几位）"
    )
    p.add_argument(
        "--name", metavar="TEXT", help="只导出项目名称为 TEXT 的项目（可与 --year 同用）"
    )
    p.add_argument(
        "--template",
        choices=FAMILIES,
        metavar="FAMILY",
        help="用这种表式输出（默认：各项目自己的表式）：" + "、".join(FAMILIES),
    )
    p.add_argument(
        "--blank-guarantee",
        action="store_true",
        help="PDF 中打印空白的制度保障页（2021 表式；默认只在项目填有制度保障时打印）",
    )

    p = sub.add_parser(
        "summary",
        help="导出年度汇总表",
        description="把一个年度的全部项目汇总成一张表（项目资金、指标数、错误和警告、状态，"
        "末行合计），写入一个 Excel 工作簿；--out 以 .pdf 结尾时写 PDF。",
    )
    p.add_argument("--year", type=_year, required=True, metavar="Y", help="汇总该年度的项目")
    p.add_argument("--out", required=True, metavar="FILE", help="输出的 .xlsx（或 .pdf）文件")
    p.add_argument("--unit", metavar="TEXT", help="表头的填报单位（默认：各项目共同的实施单位）")
    p.add_argument("--db", metavar="PATH", help=db_help)

    p = sub.add_parser(
        "backup",
        help="备份数据库",
        description="用 SQLite 备份接口把数据库完整复制一份（程序窗口开着时也可以）。"
        "不带 --out 时存入数据库旁的 backups 文件夹。",
    )
    p.add_argument("--out", metavar="FILE", help="备份文件（已存在则替换）")
    p.add_argument("--db", metavar="PATH", help=db_help)
    p.add_argument("--list", action="store_true", help="列出 backups 文件夹中的备份，不做新备份")

    p = sub.add_parser(
        "restore",
        help="从备份恢复数据库",
        description="用备份文件的内容替换数据库的全部项目。恢复前先自动备份当前数据库；"
        "当前数据库已损坏时改名保留，不覆盖。程序窗口开着时不能恢复。",
    )
    p.add_argument("file", metavar="FILE", help="备份文件（.db）")
    p.add_argument("--db", metavar="PATH", help=db_help)

    p = sub.add_parser(
        "selftest",
        help="自检（安装后或出问题时运行）",
        description="逐项检查：数据库、中文界面、Excel 与 PDF 导出（含中文字体）、打印预览，"
        "最后打开程序窗口并关闭。退出码：0 全部通过，1 有未通过的项目。",
    )
    p.add_argument("--db", metavar="PATH", help=db_help)
    p.add_argument("--no-window", action="store_true", help="不打开窗口（没有显示器时）")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _console_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return _open_window(args)
    handler = {
        "import": cmd_import,
        "list": cmd_list,
        "check": cmd_check,
        "export-json": cmd_export_json,
        "export": cmd_export,
        "summary": cmd_summary,
        "backup": cmd_backup,
        "restore": cmd_restore,
        "selftest": cmd_selftest,
    }[args.command]
    from desktop.atomic import WriteError
    from desktop.export.fonts import FontError
    from desktop.store import StoreError
    from desktop.store.backup import BackupError

    try:
        return handler(args)
    except (StoreError, WriteError, FontError, BackupError, Refused) as exc:
        _err(f"错误：{exc.message}")
        return EXIT_UNUSABLE


NO_DISPLAY = (
    "没有可用的显示器（图形界面）：请在桌面环境中运行，或使用命令行命令，如 python -m desktop list"
)


def no_display() -> bool:
    """True where Qt would find no screen: on Linux (and other X11/Wayland systems) when
    neither ``QT_QPA_PLATFORM`` nor ``DISPLAY`` nor ``WAYLAND_DISPLAY`` is set. Windows
    and macOS always have one."""
    if sys.platform in ("win32", "darwin"):
        return False
    return not any(
        os.environ.get(name, "").strip()
        for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")
    )


def _open_window(args: argparse.Namespace) -> int:
    if no_display():  # Qt would abort with its own English words about xcb
        _err(f"无法打开窗口：{NO_DISPLAY}。")
        return EXIT_UNUSABLE
    try:
        from desktop.ui.app import run
    except ImportError as exc:  # Qt missing or its system libraries absent
        _err(f"无法打开窗口（{exc}）。命令行用法：")
        build_parser().print_help()
        return EXIT_UNUSABLE
    from desktop.config import database_path

    return run(database_path(args.db))


def _console_streams() -> None:
    # The windowed .exe has no console: sys.stdout and sys.stderr are None there.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives with the process
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives with the process
    # A Windows console may default to a legacy code page; Chinese must still print.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(encoding="utf-8", errors="replace")


def _existing_database(args: argparse.Namespace) -> Path:
    """The database of a command that only reads it: it must exist (a mistyped ``--db``
    must not silently create an empty one, nor its folder). Refused otherwise."""
    from desktop.config import DB_ENV, database_path

    path = database_path(args.db)
    if path.is_file():
        return path
    if args.db:
        source = "--db 指定的"
    elif os.environ.get(DB_ENV, "").strip():
        source = f"环境变量 {DB_ENV} 指定的"
    else:
        source = "默认的"
    what = "是一个文件夹，不是数据库文件" if path.is_dir() else "不存在"
    full = Path(os.path.abspath(path))
    where = f"（即“{full}”）" if str(full) != str(path) else ""
    raise Refused(
        f"{source}数据库“{path}”{where}{what}，未做任何操作（也未新建文件）。"
        f"请检查 --db 或环境变量 {DB_ENV} 中的路径是否写错；"
        "要新建数据库，请用 import 导入项目，或打开程序窗口。"
    )


def _repository(args: argparse.Namespace, *, create: bool = False):  # type: ignore[no-untyped-def]
    """The store; only ``create`` (import) may make a database that does not exist yet."""
    from desktop.config import database_path, load_rule_settings
    from desktop.store import open_repository

    path = database_path(args.db) if create else _existing_database(args)
    return open_repository(path, load_rule_settings(path.parent))


def _writable_output(outs: Sequence[str | os.PathLike[str]], db: Path) -> None:
    """Refuse an output path that is the database, its side files, its lock or its backups."""
    from desktop.store.guard import first_protected_problem

    problem = first_protected_problem(outs, db)
    if problem:
        raise Refused(problem + "（未写入任何文件，数据库未改动。）")


# ------------------------------------------------------------------ commands


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.export.imports import ImportFileError, read_import_file
    from desktop.store import DuplicateIdError, SameProjectError

    projects = []
    for name in args.files:
        try:
            imported = read_import_file(name)
        except ImportFileError as exc:
            _err(str(exc))
            _err("未导入任何项目，数据库保持不变。")
            return EXIT_UNUSABLE
        for warning in imported.warnings:
            _err(f"提示（{Path(name).name}）：{warning}")
        projects.extend(imported.projects)
    seen: dict[str, str] = {}
    for p in projects:
        if p.id is not None and p.id in seen:
            _err(
                f"错误：项目“{p.name}”与“{seen[p.id]}”的编号相同（{p.id}），出现在多个文件中：未导入任何项目。"
            )
            return EXIT_UNUSABLE
        if p.id is not None:
            seen[p.id] = p.name
    from desktop.config import database_path
    from desktop.store.lock import DatabaseLock

    # An open window keeps its own copy of a project: it must not be replaced under it.
    with DatabaseLock(database_path(args.db), "导入命令"):
        repo = _repository(args, create=True)
        same = "new" if args.as_new else "replace" if args.replace else "ask"
        try:
            result = repo.save_many(projects, replace=args.replace, same=same)
        except DuplicateIdError as exc:
            _err(f"错误：{exc}（命令行：加 --replace）")
            return EXIT_UNUSABLE
        except SameProjectError as exc:
            _err(
                f"错误：{exc}（命令行：加 --replace 用文件中的内容替换已有项目，"
                "或加 --as-new 另存为新项目）"
            )
            return EXIT_UNUSABLE
    by_id = {s.id: s for s in repo.summaries()}
    written = len(projects) - len(result.skipped)
    for n, p in enumerate(projects):
        if n in result.skipped_at:
            continue  # not written: named below
        s = by_id[p.id or ""]
        _out(f"  {s.year or '----'}  {s.name}  （错误 {s.errors}，警告 {s.warnings_text or 0}）")
    _out(f"已导入 {written} 个项目：新增 {result.added} 个，替换 {result.replaced} 个。")
    if result.skipped:
        names = "、".join(f"“{n}”" for n in result.skipped[:10])
        more = f" 等 {len(result.skipped)} 个" if len(result.skipped) > 10 else ""
        _out(f"已跳过 {len(result.skipped)} 个与程序中完全相同的项目：{names}{more}。")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from desktop.models.amounts import display_amount

    repo = _repository(args)
    rows = repo.summaries(args.year)
    if args.json:
        _out(json.dumps([_summary_json(s) for s in rows], ensure_ascii=False, indent=1))
        return EXIT_OK
    if not rows:
        _out("数据库中还没有项目。用 `python -m desktop import FILE` 导入数据包。")
        return EXIT_OK
    _out(
        f"{'编号':<8}  {'年度':<4}  {'状态':<2}  {'错误':>4}  {'警告':>4}  {'项目总额（元）':>16}  项目名称 / 实施单位"
    )
    for s in rows:
        total = display_amount(s.total)
        unit = f" / {s.unit}" if s.unit else ""
        _out(
            f"{s.id[:8]:<8}  {s.year or '----':<4}  {s.status_label:<2}  {s.errors:>4}  {s.warnings:>4}  "
            f"{total:>16}  {s.name}{unit}"
        )
    _out(f"共 {len(rows)} 个项目。")
    return EXIT_OK


def _summary_json(s: Any) -> dict[str, Any]:
    from desktop.models.amounts import amount_to_text as amount

    return {
        "id": s.id,
        "year": s.year,
        "name": s.name,
        "unit": s.unit,
        "template": s.template,
        "category": s.category,
        "total": amount(s.total),
        "annual": amount(s.annual),
        "status": s.status_label,
        "errors": s.errors,
        "warnings": s.warnings,
        "explained": s.explained,
        "updated_at": s.updated_at,
    }


def cmd_check(args: argparse.Namespace) -> int:
    from desktop.models.rules import SEVERITY_LABELS, Context, explained_count, key_of, validate

    if args.file:
        from desktop.config import load_rule_settings
        from desktop.export.package import PackageError, read_package_file

        try:
            package = read_package_file(args.file)
        except PackageError as exc:
            _err(str(exc))
            return EXIT_UNUSABLE
        projects = [p for p in package.projects if args.year is None or p.year == args.year]
        settings = load_rule_settings()
        context = Context.of(key_of(p) for p in package.projects)
        results = [(p, validate(p, settings, context)) for p in projects]
    else:
        repo = _repository(args)
        context = repo.context()
        results = [(p, repo.findings(p, context)) for p in repo.load_all(args.year)]

    if args.json:
        rows = [
            {
                "year": p.year,
                "project": p.name,
                "id": p.id,
                "code": f.code,
                "severity": f.severity,
                "field": f.field,
                "message": f.message,
                **({"suggestion": f.suggestion} if f.suggestion else {}),
                **({"explained": f.explanation} if f.explanation else {}),
            }
            for p, findings in results
            for f in findings
        ]
        _out(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for p, findings in results:
            errors = sum(f.is_error for f in findings)
            answered = _answered(explained_count(findings))
            _out(
                f"{p.year or '----'} {p.name}：错误 {errors}，警告 {len(findings) - errors}{answered}"
            )
            for f in findings:
                mark = " 已说明" if f.explanation else ""
                _out(f"  [{SEVERITY_LABELS[f.severity]} {f.code}{mark}] {f.field}：{f.message}")
                if f.explanation:
                    _out(f"      说明：{f.explanation}")
        total_e = sum(f.is_error for _, fs in results for f in fs)
        total_w = sum(not f.is_error for _, fs in results for f in fs)
        answered = _answered(sum(explained_count(fs) for _, fs in results), " 个")
        _out(f"共 {len(results)} 个项目：错误 {total_e} 个，警告 {total_w} 个{answered}。")
    has_error = any(f.is_error for _, fs in results for f in fs)
    return EXIT_FINDINGS if has_error else EXIT_OK


def _answered(n: int, unit: str = "") -> str:
    return f"（已说明 {n}{unit}）" if n else ""


def cmd_export_json(args: argparse.Namespace) -> int:
    from desktop.export.package import write_package_file

    _writable_output([args.out], _existing_database(args))
    repo = _repository(args)
    projects = _chosen_projects(repo, args)
    if projects is None:
        return EXIT_UNUSABLE
    path = write_package_file(projects, args.out)
    _out(f"已导出 {len(projects)} 个项目到 {path}。")
    return EXIT_OK


def _chosen_projects(repo: Any, args: argparse.Namespace) -> list[Any] | None:
    """The projects named by --year / --id (all when neither); None after saying what is wrong."""
    ids = None
    if args.ids:
        ids, missing = repo.resolve_ids(args.ids)
        if missing:
            _err(
                f"错误：找不到编号为 {'、'.join(missing)} 的项目（或编号开头不唯一）：请用 list 查看编号。"
            )
            return None
    projects = repo.load_all(args.year, ids)
    name = (getattr(args, "name", None) or "").strip()
    if name:
        projects = [p for p in projects if (p.name or "").strip() == name]
    if not projects:
        named = f"（项目名称“{name}”）" if name else ""
        _err(f"错误：没有符合条件的项目{named}，未写入文件：请用 list 查看项目名称和编号。")
        return None
    return projects


def cmd_export(args: argparse.Namespace) -> int:
    from desktop.export.batch import Job, export_many, export_one, file_name, file_names

    db = _existing_database(args)
    _writable_output([args.out], db)
    repo = _repository(args)
    projects = _chosen_projects(repo, args)
    if projects is None:
        return EXIT_UNUSABLE
    if Path(args.out).is_dir() or len(projects) > 1:
        # the files written inside the folder --out (a folder named like the database's lock…)
        _writable_output([Path(args.out) / n for n in file_names(projects, args.format)], db)
    context = repo.context()
    jobs = [Job(p, any(f.is_error for f in repo.findings(p, context))) for p in projects]
    out = Path(args.out)
    how: dict[str, Any] = {"family": args.template, "blank_guarantee": args.blank_guarantee}
    if len(jobs) == 1 and not out.is_dir():
        path = export_one(jobs[0].project, out, args.format, draft=jobs[0].draft, **how)
        _out(f"已导出到 {path}{'（有错误，已标“草稿”）' if jobs[0].draft else ''}。")
        return EXIT_OK
    if out.exists() and not out.is_dir():
        _err(f"错误：“{out}”是一个文件；导出多个项目时 --out 应为文件夹。")
        return EXIT_UNUSABLE
    if len(jobs) == 1:
        path = out / file_name(jobs[0].project, args.format)
        export_one(jobs[0].project, path, args.format, draft=jobs[0].draft, **how)
        _out(f"已导出到 {path}{'（有错误，已标“草稿”）' if jobs[0].draft else ''}。")
        return EXIT_OK
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _err(f"错误：无法建立文件夹“{out}”：{exc.strerror or exc}")
        return EXIT_UNUSABLE
    result = export_many(jobs, out, args.format, **how)
    drafts = {j.project.name for j in jobs if j.draft}
    for path in result.written:
        _out(f"  {path.name}")
    for name, reason in result.failed:
        _err(f"  未导出“{name}”：{reason}")
    note = f"，其中 {len(drafts)} 个有错误，已标“草稿”" if drafts else ""
    _out(f"已导出 {len(result.written)} 个文件到 {out}{note}。")
    return EXIT_UNUSABLE if result.failed else EXIT_OK


def cmd_summary(args: argparse.Namespace) -> int:
    from desktop.export.summary_table import write_summary_pdf, write_summary_workbook

    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".pdf"):
        _err(f"错误：--out 应为 .xlsx 或 .pdf 文件，而不是“{out.name}”。")
        return EXIT_UNUSABLE
    _writable_output([out], _existing_database(args))
    repo = _repository(args)
    summary = repo.year_summary(args.year, args.unit)
    if not summary.rows:
        _err(f"错误：没有 {args.year} 年度的项目，未写入文件。")
        return EXIT_UNUSABLE
    write = write_summary_pdf if suffix == ".pdf" else write_summary_workbook
    path = write(summary, out)
    for note in summary.notes:
        _err(f"提示：{note}。")
    t = summary.totals
    _out(
        f"已导出 {args.year} 年度汇总表（{t.projects} 个项目，定稿 {t.finals} 个；"
        f"错误 {t.errors}，警告 {t.warnings}）到 {path}。"
    )
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from desktop.config import database_path
    from desktop.store.backup import (
        MANUAL,
        backup_folder,
        copy_database,
        list_backups,
        make_backup,
    )
    from desktop.store.database import restore_advice
    from desktop.store.health import OK, check_database, explain

    db = database_path(args.db)
    if args.list:
        if not db.is_file() and not backup_folder(db).is_dir():
            _existing_database(args)  # neither a database nor its backups: a mistyped path
        backups = list_backups(db)
        for b in backups:
            size = b.path.stat().st_size / 1024
            _out(f"  {b.made_at:%Y-%m-%d %H:%M:%S}  {b.label}  {size:,.0f} KB  {b.path}")
        _out(f"共 {len(backups)} 个备份。" if backups else "还没有备份。")
        return EXIT_OK
    _existing_database(args)
    if args.out:
        _writable_output([args.out], db)
    health = check_database(db)
    if health.kind != OK:
        if health.kind == "new":
            _err(f"错误：数据库“{db}”还不存在或是空的，没有可备份的内容。")
        else:
            # Only a damaged file calls for a backup; a read-only folder or a busy
            # file is not cured by restoring one.
            hint = restore_advice(db) if health.damaged else ""
            _err(f"错误：{explain(db, health)}{hint}")
        return EXIT_UNUSABLE
    path = copy_database(db, Path(args.out)) if args.out else make_backup(db, MANUAL)
    _out(f"已备份 {health.projects} 个项目（含回收站）到 {path}。")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from desktop.config import database_path
    from desktop.store import open_repository
    from desktop.store.backup import restore_backup
    from desktop.store.lock import DatabaseLock

    db = database_path(args.db)
    with DatabaseLock(db, "恢复命令"):
        done = restore_backup(Path(args.file), db)
        repo = open_repository(db)  # an older backup is migrated here
        live = repo.count()
    trashed = f"（其中 {done.projects - live} 个在回收站）" if done.projects > live else ""
    _out(f"已从“{done.source}”恢复 {done.projects} 个项目{trashed}。")
    if done.safety_backup:
        _out(f"恢复前的数据库已备份为 {done.safety_backup}。")
    if done.set_aside:
        _out(f"原数据库无法使用，已改名保留为 {done.set_aside}（未改动）。")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def cmd_selftest(args: argparse.Namespace) -> int:
    display = not no_display()
    if not display:
        # Every check but the window's runs without a screen: Qt draws off screen.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        if not args.no_window:
            _err(f"提示：{NO_DISPLAY}；窗口检查不做，其余各项照常检查（或加 --no-window）。")
    try:
        from desktop.ui.selftest import report, run_checks
    except ImportError as exc:  # Qt missing or its system libraries absent
        _err(f"✗ 程序：无法加载 Qt（{exc}）")
        return EXIT_FINDINGS
    from desktop.config import database_path

    window = None if args.no_window else (True if display else NO_DISPLAY)
    checks = run_checks(database_path(args.db), window=window)
    return EXIT_OK if report(checks, _out) else EXIT_FINDINGS
