"""What every table of words must hold, in tests: each key in both languages, with the same placeholders."""

import re
import string

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def placeholders(words: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(words) if field}


def assert_in_both_languages(table: dict[str, dict[str, str]], untranslated: tuple[str, ...] | None = ()) -> None:
    """Every key of `table` ({"en": ..., "zh-CN": ...}) in both languages with the same placeholders, and
    its Chinese in Chinese characters (but for the keys `untranslated`; None: not checked)."""
    english, chinese = table["en"], table["zh-CN"]
    assert set(english) == set(chinese), set(english) ^ set(chinese)
    for key in english:
        assert placeholders(english[key]) == placeholders(chinese[key]), key
        if untranslated is not None and key not in untranslated:
            assert CHINESE.search(chinese[key]), f"{key} is not translated"
