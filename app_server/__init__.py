"""The server: what the app does for many visitors at once, without Gradio.

    app.py  ->  app_ui (the page: Gradio)  ->  app_server (this)  ->  mnist_model (the machine learning)

    hosting.py    a public host's bounds: its limits, the app's folder and disk budget, the sweeper
    memory.py     memory freed given back to the system (glibc)
    callers.py    who a caller is (behind trusted proxies too), and how often they may ask
    visitors.py   each visitor's things on the server (models, saves, runs), within one memory budget
    line.py       the training line: who trains now, who waits, and for how long
    runs.py       the run service: every run priced, in line, stoppable, bounded in time and memory
    running.py    the server's one run service, and when a stream has gone unread
    training.py   a visitor's Train, Stop and Step (on ZeroGPU inside a GPU lease)
    class_store.py  the class store in SQLite: classes, students, drawings, published models
    classes.py    a class of phones in plain values: who is who, keys, the QR code, teaching, publishing
    errors.py, words.py   Refusal: what the server refuses of its own, keyed, in both languages

Nothing here imports Gradio (tests/server test it without). It raises keyed refusals (Refusal, and
mnist_model's errors); the page words them, once, at its error boundary (app_ui.page.user_messages).
"""
