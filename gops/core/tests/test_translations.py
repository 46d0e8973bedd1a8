"""The Polish catalogue is complete, well formed, and the default language of the site."""

import re
import shutil
import subprocess

import polib
import pytest
from django.conf import settings

PO_PATH = settings.BASE_DIR / "locale" / "pl" / "LC_MESSAGES" / "django.po"
PLURAL_FORMS = (
    "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)
PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif]")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def _translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def test_every_msgid_has_a_polish_translation(catalogue):
    untranslated = [e.msgid for e in catalogue if not all(_translations(e))]
    assert not untranslated, f"Empty msgstr in {PO_PATH.name}: {untranslated}"


def test_no_entry_is_fuzzy(catalogue):
    # polib (compile_translations) leaves fuzzy entries out of the .mo.
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert not fuzzy, f"Fuzzy entries in {PO_PATH.name}: {fuzzy}"
    assert not catalogue.metadata_is_fuzzy, "The header of the catalogue is marked fuzzy"


def test_polish_has_three_plural_forms(catalogue):
    assert catalogue.metadata["Plural-Forms"] == PLURAL_FORMS
    wrong = [e.msgid for e in catalogue if e.msgid_plural and len(e.msgstr_plural) != 3]
    assert not wrong, f"Plural entries without exactly 3 forms: {wrong}"


def test_translations_keep_the_placeholders(catalogue):
    wrong = []
    for entry in catalogue:
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            # A form may leave a number out ("ostatniej nocy" for n = 1), but it may use only
            # the names the English gives, and the "many" form must use all of them.
            allowed = set(expected) | set(PLACEHOLDER.findall(entry.msgid_plural))
            texts = _translations(entry)
            if any(not set(PLACEHOLDER.findall(t)) <= allowed for t in texts) or (
                set(PLACEHOLDER.findall(texts[-1])) != set(PLACEHOLDER.findall(entry.msgid_plural))
            ):
                wrong.append(entry.msgid)
        elif sorted(PLACEHOLDER.findall(entry.msgstr)) != expected:
            wrong.append(entry.msgid)
    assert not wrong, f"Placeholders differ from the msgid: {wrong}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_gnu_msgfmt_accepts_the_catalogue():
    # Django's compilemessages runs msgfmt --check-format; polib alone forgives more.
    result = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(PO_PATH)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_the_login_page_is_in_polish_for_anonymous_users(client):
    mo_path = PO_PATH.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages` (compile_translations)"
    response = client.get("/konto/logowanie/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="pl"' in html
    assert "Zaloguj" in html
    assert "Log in" not in html
