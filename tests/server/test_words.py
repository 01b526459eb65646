"""The server's refusals in words: every one in both languages, every one it raises worded."""

import re
from pathlib import Path

from app_server.errors import Refusal
from app_server.words import REFUSALS
from support.translations import assert_in_both_languages

REPO = Path(__file__).parent.parent.parent


def test_every_refusal_exists_in_both_languages_with_the_same_placeholders():
    assert_in_both_languages(REFUSALS)


def test_every_refusal_raised_is_worded_and_every_worded_one_is_used():
    code = "".join(p.read_text() for folder in ("app_server", "app_ui") for p in (REPO / folder).glob("*.py")
                   if p.name != "words.py")
    raised = set(re.findall(r"""(?:Refusal|ClassroomError)\(\s*["']([a-z_]+)["']""", code))
    assert raised <= set(REFUSALS["en"]), raised - set(REFUSALS["en"])
    unused = [key for key in REFUSALS["en"] if not re.search(rf"""["']{key}["']""", code)]
    assert not unused, f"refusals nothing raises: {unused}"


def test_a_refusal_is_one_sentence_in_the_callers_language():
    refusal = Refusal("quota_count", count=5)
    assert str(refusal) == refusal.message("en") and "5" in str(refusal)
    assert re.search(r"[\u4e00-\u9fff]", refusal.message("zh-CN")) and "5" in refusal.message("zh-CN")
