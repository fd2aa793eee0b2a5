"""Reading a register page's HTML: each row's cells by name, and the refs of each table."""

import re

URL = "/registers/corporate/"
Q2 = "2021-22-q2"


def text(fragment: str) -> str:
    fragment = re.sub(r"<br\s*/?>", "|", fragment)
    fragment = re.sub(r"<[^>]+>", "", fragment)
    fragment = fragment.replace("&amp;", "&").replace("&#x27;", "'").replace("&quot;", '"')
    return re.sub(r"\s+", " ", fragment).strip()


def rows(html: str) -> dict[int, dict[str, str]]:
    """Each register row's cells by their data-cell name, as text."""
    found = {}
    for ref, body in re.findall(r'<tr [^>]*data-ref="(\d+)">(.*?)</tr>', html, re.S):
        found[int(ref)] = {
            name: text(cell)
            for name, cell in re.findall(r'<t[hd] [^>]*data-cell="(\w+)">(.*?)</t[hd]>', body, re.S)
        }
    return found


def table_refs(html: str, horizon: str) -> list[int]:
    table = re.search(rf'<table [^>]*id="register-{horizon}">(.*?)</table>', html, re.S)
    return [int(r) for r in re.findall(r'data-ref="(\d+)"', table.group(1))] if table else []
