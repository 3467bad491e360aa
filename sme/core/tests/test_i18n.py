"""Chinese by default, English when chosen; the English catalogues are complete and compiled.

The catalogue checks read every entry of ``locale/en/LC_MESSAGES/django.po`` (and ``djangojs.po`` once
there is one): no entry untranslated, none fuzzy (Django ignores fuzzy translations), and the committed
``.mo`` holding exactly what the ``.po`` says. After changing user-visible strings run ``make messages``
and translate what it added.
"""

from __future__ import annotations

import ast
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale/en/LC_MESSAGES"
PO = LOCALE / "django.po"
JS_PO = LOCALE / "djangojs.po"
JS_SOURCES = Path(settings.BASE_DIR) / "sme"
JS_GETTEXT = re.compile(r"\b(?:n?gettext|pgettext|npgettext|interpolate)\s*\(")


def test_default_language_is_chinese(client, db):
    page = client.get("/").content.decode()
    assert 'lang="zh-CN"' in page and "企业 / 服务机构注册" in page


def test_english_when_chosen(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in page
    assert "Sign in" in page or "Log in" in page
    assert "登录" not in page.split("<main", 1)[1].split("</main>", 1)[0]


# --- reading the catalogues ------------------------------------------------------------------------


@dataclass
class Entry:
    """One entry of a .po file (obsolete ``#~`` entries are not read)."""

    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # msgstr is {0: …}; msgstr[n] is {n: …}
    fuzzy: bool = False

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    @property
    def key(self) -> str:
        """How the compiled catalogue names it: the context and the id, joined by EOT."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"

    def compiled(self) -> dict[str, str]:
        """What msgfmt writes for it: the id (with its plural, NUL-separated) → the translation(s)."""
        if self.msgid_plural is None:
            return {self.key: self.msgstr[0]}
        forms = [self.msgstr[n] for n in sorted(self.msgstr)]
        return {f"{self.key}\x00{self.msgid_plural}": "\x00".join(forms)}


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def read_po(path: Path) -> list[Entry]:
    """Every entry of ``path`` in order, the header included."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            current, target = None, None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line[2:].replace(",", " ").split():
                current = current or _start(entries, number)
                current.fuzzy = True
            continue
        current = current or _start(entries, number)
        match = _KEYWORD.match(line)
        if match:
            name, index, text = match.groups()
            target = (name.split("[")[0], int(index) if index is not None else None)
            _append(current, target, ast.literal_eval(text), new=True)
        elif line.startswith('"') and target is not None:
            _append(current, target, ast.literal_eval(line))
        else:
            raise AssertionError(f"{path.name}:{number}: cannot read {raw!r}")
    return entries


def _start(entries: list[Entry], number: int) -> Entry:
    entries.append(Entry(line=number))
    return entries[-1]


def _append(entry: Entry, target: tuple[str, int | None], text: str, new: bool = False) -> None:
    name, index = target
    if name == "msgstr":
        slot = 0 if index is None else index
        entry.msgstr[slot] = ("" if new else entry.msgstr.get(slot, "")) + text
    elif name == "msgid":
        entry.msgid = ("" if new else entry.msgid) + text
    elif name == "msgid_plural":
        entry.msgid_plural = ("" if new else entry.msgid_plural or "") + text
    else:
        entry.msgctxt = ("" if new else entry.msgctxt or "") + text


def read_mo(path: Path) -> dict[str, str]:
    """The id → translation table of a compiled GNU catalogue (the header's empty id left out)."""
    data = path.read_bytes()
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">"
    assert struct.unpack(order + "I", data[:4])[0] == 0x950412DE, f"{path} is not a .mo file"
    count, ids_at, strs_at = struct.unpack(order + "3I", data[8:20])
    table = {}
    for n in range(count):
        id_len, id_at = struct.unpack(order + "2I", data[ids_at + 8 * n : ids_at + 8 * n + 8])
        str_len, str_at = struct.unpack(order + "2I", data[strs_at + 8 * n : strs_at + 8 * n + 8])
        msgid = data[id_at : id_at + id_len].decode("utf-8")
        if msgid:
            table[msgid] = data[str_at : str_at + str_len].decode("utf-8")
    return table


def catalogues() -> list[Path]:
    """django.po always; djangojs.po when it exists (a JavaScript string makes it required)."""
    return [PO, *([JS_PO] if JS_PO.exists() else [])]


def _describe(entries: list[Entry], path: Path) -> str:
    shown = "\n".join(f"  {path.name}:{e.line}  {e.msgid[:60]!r}" for e in entries[:40])
    more = f"\n  … and {len(entries) - 40} more" if len(entries) > 40 else ""
    return shown + more


# --- the checks ----------------------------------------------------------------------------------


def test_the_catalogue_reader_reads_the_forms_it_meets(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\nmsgid "一"\nmsgstr "One"\n\n'
        '#, fuzzy, python-format\nmsgid "%(n)s 个"\nmsgstr "%(n)s things"\n\n'
        'msgid ""\n"多行\\n"\n"文本"\nmsgstr ""\n"Multi-line\\n"\n"text"\n\n'
        'msgctxt "月份"\nmsgid "五"\nmsgstr ""\n\n'
        'msgid "项"\nmsgid_plural "项"\nmsgstr[0] "item"\nmsgstr[1] ""\n\n'
        '#~ msgid "旧"\n#~ msgstr "Old"\n',
        encoding="utf-8",
    )
    header, one, fuzzy, multi, context, plural = read_po(po)
    assert header.is_header and header.msgstr == {0: "Language: en\n"}
    assert (one.msgid, one.msgstr, one.translated, one.fuzzy) == ("一", {0: "One"}, True, False)
    assert fuzzy.fuzzy and fuzzy.translated
    assert (multi.msgid, multi.msgstr[0]) == ("多行\n文本", "Multi-line\ntext")
    assert (context.key, context.translated) == ("月份\x04五", False)
    assert plural.msgid_plural == "项" and plural.msgstr == {0: "item", 1: ""} and not plural.translated


def test_javascript_strings_have_a_catalogue():
    """A script of ours that calls gettext needs djangojs.po (make messages writes it)."""
    callers = [
        str(path.relative_to(settings.BASE_DIR))
        for path in JS_SOURCES.rglob("*.js")
        if "vendor" not in path.parts
        and JS_GETTEXT.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert not callers or JS_PO.exists(), f"no djangojs.po for the strings of {callers}: run make messages"


def test_every_catalogue_entry_is_translated_and_none_is_fuzzy():
    problems = []
    total = 0
    for path in catalogues():
        entries = [e for e in read_po(path) if not e.is_header]
        total += len(entries)
        untranslated = [e for e in entries if not e.translated]
        fuzzy = [e for e in entries if e.fuzzy]
        if untranslated:
            problems.append(
                f"{len(untranslated)} untranslated in {path.name}:\n{_describe(untranslated, path)}"
            )
        if fuzzy:
            problems.append(
                f"{len(fuzzy)} fuzzy in {path.name} (Django ignores them):\n{_describe(fuzzy, path)}"
            )
    assert total > 300, "the English catalogue looks empty"
    assert not problems, "\n".join(problems)


def test_catalogue_headers_are_usable():
    """A fuzzy header is dropped by msgfmt, and with it the charset and the plural rule."""
    for path in catalogues():
        header = read_po(path)[0]
        assert header.is_header and not header.fuzzy, f"{path.name}: header missing or fuzzy"
        assert "charset=UTF-8" in header.msgstr[0] and "Plural-Forms:" in header.msgstr[0], path.name


def test_compiled_catalogues_are_current():
    """Each committed .mo holds exactly the translated, non-fuzzy entries of its .po (``make messages``
    compiles it): nothing missing, nothing different, nothing left over from an older .po."""
    for path in catalogues():
        mo = path.with_suffix(".mo")
        assert mo.exists(), f"{mo.name} is missing: run make messages"
        expected: dict[str, str] = {}
        for entry in read_po(path):
            if not entry.is_header and entry.translated and not entry.fuzzy:
                expected.update(entry.compiled())
        compiled = read_mo(mo)
        missing = sorted(set(expected) - set(compiled))
        stale = sorted(set(compiled) - set(expected))
        different = sorted(k for k in set(expected) & set(compiled) if expected[k] != compiled[k])
        assert not (missing or stale or different), (
            f"{mo.name} does not match {path.name}: {len(missing)} missing, {len(stale)} left over, "
            f"{len(different)} different, e.g. {(missing + stale + different)[:5]}"
        )
