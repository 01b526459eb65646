"""The three layers hold: the page (app_ui) uses the server (app_server), which uses the machine learning
(mnist_model); never the other way, and only the page knows Gradio."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).parent.parent.parent


def modules_of(package: str) -> list[str]:
    return [f"{package}.{p.stem}" for p in sorted((REPO / package).glob("*.py")) if p.stem not in ("__init__", "__main__")]


@pytest.mark.parametrize("package, never", [
    ("mnist_model", ("gradio", "app_server", "app_ui")),
    ("app_server", ("gradio", "app_ui")),
])
def test_a_layer_imports_nothing_above_it_and_only_the_page_imports_gradio(package, never):
    code = (f"import sys\nfor name in {modules_of(package)!r}: __import__(name)\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(never)!r}))")
    shown = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert shown.returncode == 0, shown.stderr[-2000:]
    assert shown.stdout.strip() == "[]", f"{package} imports {shown.stdout.strip()}"
