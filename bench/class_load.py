"""A class of 30 adds drawings at once while its teacher teaches: how fast /class_add answers, and
whether every acknowledged drawing is stored.

Starts `python app.py`; a teacher starts a class and adds a first set of drawings; 30 students join,
then each adds `--each` drawings, one every `--pace` seconds (2 s: a quick hand draws a digit and
presses Add; 0.4 s: a stress test no class reaches), while the teacher teaches twice
(/class_teach). Reports /class_add's latency (p50, p95, worst), the drawings acknowledged against
those the class holds afterwards, and how long teaching took under that load. Clients and server
share this machine's cores. Goal: p95 at most 300 ms, nothing lost.

    python -m bench.class_load --data-dir ../shared/mnist [--students 30 --each 10 --pace 2]
"""

import argparse
import os
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
from gradio_client import Client, handle_file

from bench.machine import describe
from support.apprunner import running_app
from support.strokes import pad_png


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=os.environ.get("MNIST_DATA_DIR"), required="MNIST_DATA_DIR" not in os.environ)
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--each", type=int, default=10, help="drawings each student adds (default: 10)")
    parser.add_argument("--pace", type=float, default=2.0, help="seconds between one student's drawings (default: 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, running_app(Path(folder) / "app.log", MNIST_DATA_DIR=args.data_dir) as url:
        pictures = {}
        for digit in range(10):
            path = Path(folder) / f"{digit}.png"
            path.write_bytes(pad_png(digit, size=170))
            pictures[digit] = handle_file(str(path))
        teacher = Client(url, verbose=False)
        code = teacher.predict(api_name="/class_start")["code"]
        for digit in list(range(10)) * 3:
            teacher.predict(pictures[digit], digit, api_name="/class_add")
            time.sleep(0.4)  # (a session adds at most 3 drawings a second)
        students = [Client(url, verbose=False) for _ in range(args.students)]
        for student in students:
            student.predict(code, api_name="/class_join")
        latencies, acknowledged, errors = [], [], []
        lock = threading.Lock()

        def draw(student: Client, offset: int):
            time.sleep(offset * args.pace / len(students))  # students start a little apart, as people do
            for i in range(args.each):
                digit = (offset + i) % 10
                start = time.perf_counter()
                try:
                    answer = student.predict(pictures[digit], digit, api_name="/class_add")
                except Exception as exc:  # counted: a refusal is not an acknowledgement
                    with lock:
                        errors.append(str(exc)[:120])
                    continue
                with lock:
                    latencies.append(time.perf_counter() - start)
                    acknowledged.append(answer["id"])
                time.sleep(args.pace)

        teaching = []

        def teach():
            for _ in range(2):
                start = time.perf_counter()
                teacher.predict(api_name="/class_teach")
                teaching.append(time.perf_counter() - start)

        threads = [threading.Thread(target=draw, args=(s, i)) for i, s in enumerate(students)]
        threads.append(threading.Thread(target=teach))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        stored = {d["id"] for d in teacher.predict(api_name="/class_drawings")["drawings"]}
    ms = np.array(latencies) * 1000
    print(f"machine: {describe()}; {args.students} students, {args.each} drawings each, one every {args.pace} s, "
          f"while the teacher teaches twice\n")
    print("| /class_add | p50 | p95 | worst | acknowledged | stored of those | refused |")
    print("|---|---|---|---|---|---|---|")
    print(f"| during teaching | {np.percentile(ms, 50):.0f} ms | {np.percentile(ms, 95):.0f} ms | {ms.max():.0f} ms | "
          f"{len(acknowledged)} | {len(stored & set(acknowledged))} | {len(errors)} |")
    print(f"\nteaching under that load: {', '.join(f'{s:.1f} s' for s in teaching)}")
    if errors:
        print("refusals: " + "; ".join(sorted(set(errors))))


if __name__ == "__main__":
    main()
