"""The one error every file reader raises: what cannot be read, in the clerk's words."""

from __future__ import annotations


class UnreadableFile(ValueError):
    """A file that cannot be imported; ``problems`` are Chinese sentences naming where and what.

    Readers are all or nothing: when this is raised, nothing was imported.
    """

    noun = "文件"

    def __init__(self, problems: list[str], source: str = "") -> None:
        self.problems = problems
        self.source = source
        head = f"{self.noun}“{source}”无法导入" if source else f"{self.noun}无法导入"
        super().__init__(head + "：\n" + "\n".join(f"  · {p}" for p in problems))
