"""A class of 30 adds drawings at once while its teacher teaches: how fast /class_add answers, and
whether every acknowledged drawing is stored.

Starts `python app.py`; a teacher starts a class and adds a first set of drawings; 30 students join,
then each adds `--each` drawings, one every `--pace` seconds (2 s: a quick hand draws a digit and
presses Add; 0.4 s: a stress test no class reaches), while the teacher teaches again and again
(/class_teach) until they are done. Reports /class_add's latency (p50, p95, worst; of the adds that
overlapped a teaching, and of all), the drawings acknowledged against
those the class holds afterwards, and how long teaching took under that load. The students are light
API sessions in one thread (support.lightcaller: each add uploads its picture, joins the event and
reads its result, as any client does), the teacher a gradio_client; clients and server share this
machine's cores. Goal: p95 at most 300 ms, nothing lost.

    python -m bench.class_load --data-dir ../shared/mnist [--students 30 --each 10 --pace 2]
"""

import argparse
import asyncio
import os
import tempfile
import threading
import time
from pathlib import Path

import httpx
import numpy as np
from gradio_client import Client, handle_file

from bench.machine import describe
from support.apprunner import running_app
from support.lightcaller import CallError, Session, inputs_of
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
            pictures[digit] = path
        teacher = Client(url, verbose=False)
        code = teacher.predict(api_name="/class_start")["code"]
        for digit in list(range(10)) * 3:
            teacher.predict(handle_file(str(pictures[digit])), digit, api_name="/class_add")
            time.sleep(0.4)  # (a session adds at most 3 drawings a second)
        adds, acknowledged, errors, teaching = [], [], [], []  # adds and teaching: (start, end)
        drawing = threading.Event()

        def teach():
            while drawing.is_set():
                start = time.perf_counter()
                teacher.predict(api_name="/class_teach")
                teaching.append((start, time.perf_counter()))

        async def draw(student: Session, offset: int):
            await asyncio.sleep(offset * args.pace / args.students)  # students start a little apart, as people do
            for i in range(args.each):
                digit = (offset + i) % 10
                start = time.perf_counter()
                try:
                    answer = await student.call("class_add", await student.upload(pictures[digit]), digit)
                except (CallError, httpx.HTTPError) as exc:  # counted: a refusal is not an acknowledgement
                    errors.append(str(exc)[:120])
                    continue
                adds.append((start, time.perf_counter()))
                acknowledged.append(answer[0]["id"])
                await asyncio.sleep(args.pace)

        async def students():
            async with httpx.AsyncClient(base_url=url, timeout=120) as http:
                inputs = await inputs_of(http)
                joined = [Session(http, inputs) for _ in range(args.students)]
                for student in joined:
                    await student.call("class_join", code)
                drawing.set()
                teacher_thread = threading.Thread(target=teach, daemon=True)
                teacher_thread.start()
                try:
                    await asyncio.gather(*(draw(student, i) for i, student in enumerate(joined)))
                finally:
                    drawing.clear()
                await asyncio.to_thread(teacher_thread.join)

        asyncio.run(students())
        stored = {d["id"] for d in teacher.predict(api_name="/class_drawings")["drawings"]}
    while_teaching = [a for a in adds if any(a[0] < t[1] and t[0] < a[1] for t in teaching)]
    print(f"machine: {describe()}; {args.students} students, {args.each} drawings each, one every {args.pace} s, "
          f"while the teacher teaches again and again\n")
    print("| /class_add | adds | p50 | p95 | worst |")
    print("|---|---|---|---|---|")
    for name, rows in (("while a teaching ran", while_teaching), ("all", adds)):
        ms = np.array([end - start for start, end in rows] or [np.nan]) * 1000
        print(f"| {name} | {len(rows)} | {np.percentile(ms, 50):.0f} ms | {np.percentile(ms, 95):.0f} ms | {ms.max():.0f} ms |")
    print(f"\nacknowledged {len(acknowledged)}, of those stored {len(stored & set(acknowledged))}, refused {len(errors)}")
    print(f"teaching under that load ({len(teaching)} times): {', '.join(f'{e - s:.1f} s' for s, e in teaching)}")
    if errors:
        print("refusals: " + "; ".join(sorted(set(errors))))


if __name__ == "__main__":
    main()
