"""What the tests and the benchmarks share: starting the app, driving its page, drawing digits, small data sets.

    apprunner.py   `python app.py` started on a free port, and requests that never read their stream
    pagedriver.py  the page in Debian's Chromium through Playwright: drawing with mouse, finger, pen
    strokes.py     hand-drawn-style digits as pen strokes, and pictures of them as the pad makes them
    datasets.py    small learnable data sets in MNIST's and the pen-written digits' formats
"""
