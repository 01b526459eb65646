"""Teaching goes through the same run service as training: the same line (its place told, a class's
teacher first), the same pricing (refused up front when over the host's budget) and the same Stop."""

import time

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from support.apprunner import running_app
from support.strokes import pad_png
from support.waiting import wait_for


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("digits")
    for digit in range(10):
        (folder / f"{digit}.png").write_bytes(pad_png(digit, size=160 + 7 * digit))
    return {digit: handle_file(str(folder / f"{digit}.png")) for digit in range(10)}


def a_teacher_with_drawings(url: str, pictures: dict) -> Client:
    """A class's teacher who drew every digit once (enough to teach)."""
    teacher = Client(url, verbose=False)
    teacher.predict(api_name="/class_start")
    for digit in range(10):
        teacher.predict(pictures[digit], digit, api_name="/class_add")
        time.sleep(0.34)  # a hand's pace, within the rate every session is held to
    return teacher


def test_a_teaching_waits_in_the_training_line_told_its_place_and_teaches_once_the_run_before_it_ends(
        app_url, pictures):
    teacher = a_teacher_with_drawings(app_url, pictures)
    runner = Client(app_url, verbose=False)
    running = runner.submit("fast", epochs=200, batch_size=4, api_name="/train")
    try:
        wait_for(lambda: any("samples/s" in (o[0] or "") for o in running.outputs()), "a long run training")
        teaching = teacher.submit(api_name="/class_teach")
        wait_for(lambda: any(o.get("waiting") == 1 for o in teaching.outputs()), "the teaching told its place")
        assert not teaching.done()
    finally:
        runner.predict(api_name="/stop")
    taught = teaching.result(timeout=300)
    assert taught["taught_on"] + taught["held_out"] == 10 and 0.9 <= taught["after"]["mnist"] <= 1


@pytest.mark.slow  # (starts an app of its own)
def test_a_teaching_over_the_hosts_budget_is_refused_up_front_in_one_line(tiny_mnist, tiny_drawn, tmp_path, pictures):
    with running_app(tmp_path / "app.log", MNIST_DATA_DIR=str(tiny_mnist), MNIST_DRAWN_FILE=str(tiny_drawn),
                     MNIST_APP_DIR=str(tmp_path / "app"), MNIST_APP_MAX_TEACH_SECONDS="0.2") as url:
        teacher = a_teacher_with_drawings(url, pictures)
        with pytest.raises(AppError, match=r"^Its 300 steps would take about [\d:]+ here, and this server allows "
                                           r"0:00: a smaller network fits \(the shipped one takes a few seconds\)$"):
            teacher.predict(api_name="/class_teach")
        assert teacher.predict(api_name="/class_status")["total"] == 10  # nothing changed
    assert "Traceback" not in (tmp_path / "app.log").read_text()


@pytest.mark.parametrize("lang, says", [("en", "Starting"), ("zh-CN", "开始")])
def test_a_run_the_line_lets_in_at_once_says_it_starts_not_that_it_is_number_0_in_line(lang, says):
    from app_ui.render import waiting_html

    assert says in waiting_html(0, 0.0, lang) and "0" not in waiting_html(0, 0.0, lang)
    assert "2" in waiting_html(2, 30.0, lang)  # (a run that waits is told its place)



def test_a_runs_time_left_is_at_most_what_the_hosts_wall_clock_leaves_it_and_says_so():
    """A paced run said "83:22:13 left" and was stopped at 20:00."""
    from app_ui.render import progress_html
    from mnist_model.train_events import Progress

    paced = Progress(epoch=1, epochs=1, step=10, steps_per_epoch=60000, loss=2.0, samples_per_s=0.1, elapsed=100.0)
    shown = progress_html(paced, "en", wall_limit=1200)
    assert "18:20 left" in shown and "stopped at this server's limit of 20:00" in shown
    quick = Progress(epoch=1, epochs=1, step=500, steps_per_epoch=1000, loss=2.0, samples_per_s=100, elapsed=10.0)
    assert "0:10 left" in progress_html(quick, "en", wall_limit=1200)
    assert "limit" not in progress_html(quick, "en", wall_limit=1200)
