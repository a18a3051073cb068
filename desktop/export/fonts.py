"""The CJK fonts a PDF embeds: found once per process, registered with reportlab, cached.

reportlab embeds only TrueType outlines (``.ttf``/``.ttc``); CFF-based OpenType
fonts such as Noto CJK are skipped. Search order: ``JIXIAO_FONT``, Windows'
own 宋体/黑体/仿宋, ``resources/fonts`` shipped with the program, then the usual
Linux and macOS locations. reportlab is imported only when a font is needed,
so importing this module costs nothing.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV_VAR = "JIXIAO_FONT"

# Characters every usable body font must have: a Latin-only font set in
# JIXIAO_FONT would embed fine and print empty boxes.
_PROBE = "财政项目支出绩效目标申报表填报单位第页共草稿"
# 项目类别 boxes and 保障阶段 ticks: Chinese fonts often lack them, so a symbol
# font fills in; without one, look-alikes the CJK fonts do have.
SYMBOLS = "☐☑✓"
SYMBOL_STANDINS = {"☐": "□", "☑": "■", "✓": "√"}

SONG, HEI, OTHER = "song", "hei", "other"

FONT_MISSING = (
    "找不到可嵌入 PDF 的中文 TrueType 字体：Windows 自带宋体；"
    "其他系统请安装 fonts-arphic-uming，或把 .ttf/.ttc 字体放到 resources/fonts 文件夹。"
)


class FontError(RuntimeError):
    """No CJK font can be embedded; ``message`` tells the clerk what to do, in Chinese."""

    def __init__(self, message: str = FONT_MISSING) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Candidate:
    """A font file to try; ``subfont`` picks the face inside a ``.ttc`` collection."""

    path: Path
    subfont: int = 0
    style: str = SONG


@dataclass(frozen=True, eq=False)
class FontSet:
    """Registered reportlab font names: body (宋体), title (黑体 or the body font), symbol or None."""

    body: str
    title: str
    symbol: str | None = None
    # font name → code points it can draw
    coverage: dict[str, frozenset[int]] = field(default_factory=dict, repr=False)

    def has(self, font: str, char: str) -> bool:
        return ord(char) in self.coverage.get(font, frozenset())


# ------------------------------------------------------------------ where to look


def _windows_fonts() -> Path:
    return Path(os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or r"C:\Windows") / "Fonts"


def resource_font_dirs() -> list[Path]:
    """``resources/fonts`` inside a PyInstaller bundle and beside the source tree."""
    from desktop.resources import resource_dirs

    return [folder / "fonts" for folder in resource_dirs()]


def _style_of(path: Path) -> str:
    name = path.name.lower()
    if any(k in name for k in ("hei", "zenhei", "microhei", "droidsans", "sans")):
        return HEI
    if any(k in name for k in ("sun", "song", "ming", "fang", "kai", "serif")):
        return SONG
    return OTHER


def _shipped() -> list[Candidate]:
    found: list[Candidate] = []
    for folder in resource_font_dirs():
        if folder.is_dir():
            files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".ttf", ".ttc"))
            found += [Candidate(p, 0, _style_of(p)) for p in files]
    return found


def candidates() -> list[Candidate]:
    """Every CJK font worth trying, best first (missing files are skipped later)."""
    out: list[Candidate] = []
    explicit = os.environ.get(ENV_VAR, "").strip()
    if explicit:
        path = Path(explicit).expanduser()
        out.append(Candidate(path, 0, _style_of(path)))
    win = _windows_fonts()
    out += [
        Candidate(win / "simsun.ttc", 0, SONG),
        Candidate(win / "simhei.ttf", 0, HEI),
        Candidate(win / "simfang.ttf", 0, SONG),
        Candidate(win / "simkai.ttf", 0, SONG),
        # Windows without the 宋体 feature (some Server editions) still has 微软雅黑/等线.
        Candidate(win / "msyh.ttc", 0, HEI),
        Candidate(win / "Deng.ttf", 0, HEI),
    ]
    out += _shipped()
    linux = Path("/usr/share/fonts")
    out += [
        Candidate(linux / "truetype/arphic/uming.ttc", 0, SONG),
        Candidate(linux / "truetype/arphic/ukai.ttc", 0, SONG),
        Candidate(linux / "truetype/wqy/wqy-zenhei.ttc", 0, HEI),
        Candidate(linux / "truetype/wqy/wqy-microhei.ttc", 0, HEI),
        Candidate(linux / "truetype/droid/DroidSansFallbackFull.ttf", 0, HEI),
        Candidate(linux / "truetype/fonts-japanese-mincho.ttf", 0, SONG),
        Candidate(linux / "wqy-zenhei/wqy-zenhei.ttc", 0, HEI),  # Fedora
        Candidate(linux / "wqy-microhei/wqy-microhei.ttc", 0, HEI),
    ]
    for mac in (Path("/System/Library/Fonts"), Path("/Library/Fonts")):
        out += [
            Candidate(mac / "Supplemental/Songti.ttc", 0, SONG),
            Candidate(mac / "Songti.ttc", 0, SONG),
            Candidate(mac / "STHeiti Light.ttc", 0, HEI),
            Candidate(mac / "STHeiti Medium.ttc", 0, HEI),
            Candidate(mac / "Supplemental/Arial Unicode.ttf", 0, OTHER),
            Candidate(mac / "Arial Unicode.ttf", 0, OTHER),
        ]
    return out


def symbol_candidates() -> list[Candidate]:
    """Fonts with ☐ ☑ ✓ (Segoe UI Symbol on Windows, DejaVu Sans on Linux)."""
    win = _windows_fonts()
    return [
        Candidate(win / "seguisym.ttf", 0, OTHER),
        *(c for c in _shipped()),
        Candidate(Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"), 0, OTHER),
        Candidate(Path("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf"), 0, OTHER),
        Candidate(Path("/usr/share/fonts/truetype/freefont/FreeSerif.ttf"), 0, OTHER),
        Candidate(Path("/System/Library/Fonts/Apple Symbols.ttf"), 0, OTHER),
        Candidate(Path("/Library/Fonts/Arial Unicode.ttf"), 0, OTHER),
    ]


# ------------------------------------------------------------------ loading

_lock = threading.Lock()
# (path, subfont) → TTFont, or None when the file is unusable: parsed once per process.
_loaded: dict[tuple[str, int], Any] = {}
_fontset: FontSet | None = None


def _load(candidate: Candidate, name: str) -> Any:
    """The parsed TTFont, or None when missing, CFF-based, broken or not a font."""
    key = (str(candidate.path), candidate.subfont)
    if key in _loaded:
        return _loaded[key]
    font = None
    if candidate.path.is_file():
        from reportlab.pdfbase.ttfonts import TTFont

        try:
            font = TTFont(name, str(candidate.path), subfontIndex=candidate.subfont)
        except Exception:  # TTFError for CFF outlines; anything else means an unusable file
            font = None
    _loaded[key] = font
    return font


def _covers(font: Any, chars: str) -> bool:
    cmap = font.face.charToGlyph
    return all(ord(c) in cmap for c in chars)


def _first(found: list[Candidate], chars: str, name: str, style: str | None = None) -> Any:
    for cand in found:
        if style is not None and cand.style != style:
            continue
        font = _load(cand, name)
        if font is not None and _covers(font, chars):
            return font
    return None


def _register(font: Any, name: str) -> str:
    from reportlab.pdfbase import pdfmetrics

    font.fontName = name  # the same TTFont may serve two roles under two names
    pdfmetrics.registerFont(font)
    return name


def load_fonts() -> FontSet:
    """Find, register and cache the fonts; ``FontError`` when no CJK TrueType font is usable."""
    global _fontset
    with _lock:
        if _fontset is not None:
            return _fontset
        found = candidates()
        explicit = os.environ.get(ENV_VAR, "").strip()
        # the clerk's own choice first, then 宋体, then whatever CJK font there is
        body = _first(found[:1], _PROBE, "JX-Body") if explicit else None
        body = body or _first(found, _PROBE, "JX-Body", SONG) or _first(found, _PROBE, "JX-Body")
        if body is None:
            raise FontError()
        hei = _first(found, _PROBE, "JX-Title", HEI)
        symbol = _first(symbol_candidates(), SYMBOLS, "JX-Symbol")
        coverage: dict[str, frozenset[int]] = {}
        names: dict[int, str] = {}
        for font, name in ((body, "JX-Body"), (hei, "JX-Title"), (symbol, "JX-Symbol")):
            if font is None:
                continue
            # one TTFont object registered once: reportlab keys subsets by the object
            if id(font) not in names:
                names[id(font)] = _register(font, name)
                coverage[names[id(font)]] = frozenset(font.face.charToGlyph)
        body_name = names[id(body)]
        title_name = names[id(hei)] if hei is not None else body_name
        symbol_name = names[id(symbol)] if symbol is not None else None
        _fontset = FontSet(body_name, title_name, symbol_name, coverage)
        return _fontset


def clear_cache() -> None:
    """Forget the chosen fonts (tests; a font installed while the program runs)."""
    global _fontset
    with _lock:
        _fontset = None
        _loaded.clear()
