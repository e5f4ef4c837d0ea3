"""The UI speaks Chinese by default and English on request (decision 0002).

The source strings are Chinese; English comes from src/lianxin/locale/en/. The catalog
checks below read the committed .po and .mo files with the standard library only, so they
also hold on a machine without GNU gettext.
"""

import ast
import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
EN_CATALOGS = sorted((LOCALE_DIR / "en" / "LC_MESSAGES").glob("*.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file, header included, obsolete (#~) entries left out."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None
    started = False

    def finish() -> None:
        nonlocal entry, target, started
        if started:
            entries.append(entry)
        entry, target, started = Entry(), None, False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert target is not None, f"continuation line without a keyword in {path}"
            value = ast.literal_eval(line)
            if target[0] == "msgstr":
                entry.msgstr[target[1]] += value
            else:
                setattr(entry, target[0], getattr(entry, target[0]) + value)
        else:
            keyword, _, literal = line.partition(" ")
            value = ast.literal_eval(literal)
            started = True
            if match := re.fullmatch(r"msgstr(?:\[(\d+)\])?", keyword):
                target = ("msgstr", int(match.group(1) or 0))
                entry.msgstr[target[1]] = value
            else:
                assert keyword in {"msgid", "msgid_plural", "msgctxt"}, line
                target = (keyword, 0)
                setattr(entry, keyword, value)
    finish()
    return entries


def catalog_from_po(entries: list[Entry]) -> dict[object, str]:
    """The mapping gettext.GNUTranslations builds from the matching .mo file."""
    catalog: dict[object, str] = {}
    for e in entries:
        if "fuzzy" in e.flags and e.msgid:
            continue  # msgfmt leaves fuzzy entries out
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            catalog[key] = e.msgstr[0]
        else:
            for n, text in e.msgstr.items():
                catalog[(key, n)] = text
    return catalog


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- pages ------------------------------------------------------------------------------


def test_it_shows_the_login_page_in_chinese_by_default(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "工作人员与代表登录" in html
    assert "Log in" not in html


def test_it_shows_the_login_page_in_english_to_a_browser_that_asks_for_it(client):
    html = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert "Login for staff and deputies" in html
    assert "Password" in html
    assert "工作人员与代表登录" not in html


def test_it_shows_a_staff_list_page_in_english_with_the_language_cookie(world):
    client = english(world.client_for(world.a.office))
    html = client.get(reverse("directory:person_list")).content.decode()
    assert "<title>Deputies and persons · Lianxin</title>" in html
    for text in ("Log out", "Search", "Currently serving as", "Employer", "record"):
        assert text in html
    for text in ("退出", "搜索", "代表与人员", "工作单位"):
        assert text not in html


def test_it_explains_a_validation_error_in_english(world):
    client = english(world.client_for(world.a.office))
    html = client.post(
        reverse("directory:person_create"), {"name": "新代表", "phone": "12345"}
    ).content.decode()
    assert "This field is required." in html  # Django's own message
    assert "Enter an 11-digit mobile number." in html  # ours
    assert 'value="新代表"' in html  # what was typed is kept


def test_it_explains_a_validation_error_in_chinese_by_default(world):
    client = world.client_for(world.a.office)
    html = client.post(
        reverse("directory:person_create"), {"name": "新代表", "phone": "12345"}
    ).content.decode()
    assert "该字段是必填项。" in html  # Django's own zh_Hans catalog
    assert "请输入11位手机号码。" in html
    assert "This field is required." not in html


def test_it_shows_a_public_deputy_page_in_english(client, world):
    deputy = world.a.deputy
    html = english(client).get(f"/p/d/{deputy.public_key}/").content.decode()
    assert deputy.name in html
    for text in ("Give an opinion or suggestion", "Track progress", "Liaison stations"):
        assert text in html
    for text in ("提意见建议", "查询办理进度", "所在联络站"):
        assert text not in html


def test_it_offers_the_language_switch_on_staff_and_public_pages(client, world):
    staff_html = world.client_for(world.a.office).get(reverse("home")).content.decode()
    public_html = client.get(f"/p/d/{world.a.deputy.public_key}/").content.decode()
    for html in (staff_html, public_html):
        assert 'data-testid="language-switch"' in html
        assert f'action="{reverse("set_language")}"' in html
        assert 'name="language" value="en"' in html
        assert ">English</button>" in html  # named in itself, not "英语"


def test_it_switches_to_english_and_back_through_set_language(world):
    client = world.client_for(world.a.office)
    next_url = reverse("directory:person_list")
    response = client.post(reverse("set_language"), {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(next_url).content.decode()
    assert "Deputies and persons" in html
    assert 'name="language" value="zh-hans"' in html
    assert ">简体中文</button>" in html

    client.post(reverse("set_language"), {"language": "zh-hans", "next": next_url})
    assert "代表与人员" in client.get(next_url).content.decode()


def test_it_ignores_a_foreign_next_address_when_switching(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://example.com/"}
    )
    assert response.status_code == 302
    assert "example.com" not in response["Location"]


def eager_gettext_calls(path: Path) -> list[str]:
    """Calls of the non-lazy gettext functions evaluated at import time (module or class
    body, default arguments, decorators): they freeze the text in the default language."""
    eager_functions = {"gettext", "ngettext", "pgettext", "npgettext"}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set(eager_functions)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in eager_functions:
                    names.add(alias.asname or alias.name)
                elif alias.asname:
                    names.discard(alias.asname)
    found: list[str] = []

    def calls_in(node: ast.AST) -> None:
        if isinstance(node, ast.Lambda | ast.FunctionDef | ast.AsyncFunctionDef):
            return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
            found.append(f"{path}:{node.lineno}: {ast.unparse(node)}")
        for child in ast.iter_child_nodes(node):
            calls_in(child)

    def visit(body: list[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                for expr in [*stmt.args.defaults, *stmt.args.kw_defaults, *stmt.decorator_list]:
                    if expr is not None:
                        calls_in(expr)
            elif isinstance(stmt, ast.ClassDef):
                visit(stmt.body)
            else:
                calls_in(stmt)

    visit(tree.body)
    return found


def test_it_never_translates_a_string_at_import_time():
    source = Path(settings.BASE_DIR)
    found = [
        call
        for path in sorted(source.rglob("*.py"))
        if "migrations" not in path.parts
        for call in eager_gettext_calls(path)
    ]
    assert not found, f"use gettext_lazy at module or class level: {found}"


# --- catalogs ---------------------------------------------------------------------------


def test_it_has_an_english_catalog():
    assert [p.name for p in EN_CATALOGS][:1] == ["django.po"]
    header = parse_po(EN_CATALOGS[0])[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]


@pytest.mark.parametrize("po", EN_CATALOGS, ids=lambda p: p.name)
def test_it_translates_every_message_of_the_english_catalog(po):
    entries = parse_po(po)[1:]
    assert len(entries) > 100
    untranslated = [e.msgid for e in entries if not all(e.msgstr.values())]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated in {po.name}: {untranslated}"
    assert not fuzzy, f"fuzzy in {po.name}: {fuzzy}"
    plural = [e.msgid for e in entries if e.msgid_plural and sorted(e.msgstr) != [0, 1]]
    assert not plural, f"English needs two plural forms: {plural}"


@pytest.mark.parametrize("po", EN_CATALOGS, ids=lambda p: p.name)
def test_it_keeps_every_placeholder_in_the_english_catalog(po):
    wrong = []
    for e in parse_po(po)[1:]:
        if "python-format" not in e.flags:
            continue
        wanted = Counter(PLACEHOLDER.findall(e.msgid))
        wrong += [
            (e.msgid, s) for s in e.msgstr.values() if Counter(PLACEHOLDER.findall(s)) != wanted
        ]
    assert not wrong


@pytest.mark.parametrize("po", EN_CATALOGS, ids=lambda p: p.name)
def test_it_commits_a_compiled_catalog_matching_the_po_file(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"run `make messages` and commit {mo.name}"
    with mo.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    # msgfmt rewrites the header (it drops POT-Creation-Date), so compare the messages only.
    messages = {k: v for k, v in compiled._catalog.items() if k != ""}  # type: ignore[attr-defined]
    expected = {k: v for k, v in catalog_from_po(parse_po(po)).items() if k != ""}
    assert messages == expected, f"{mo.name} is stale: run `make messages` and commit it"
    assert (compiled.plural(1), compiled.plural(2)) == (0, 1)  # type: ignore[attr-defined]
