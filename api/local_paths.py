"""Where a form may send the browser back to: only a path on this site.

An absolute or protocol-relative URL ("https://…", "//…") or a backslash trick would make a return path an open
redirect; both the company pages' "tillbaka" and the staff sign-in's return path go through here.
"""

from __future__ import annotations


def local_path(target: str | None, fallback: str) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback
