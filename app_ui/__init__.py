"""The app's user interface, beside app.py: everything that is Gradio or the browser, and nothing else.
The server's own work, without Gradio, is app_server's; the machine learning, mnist_model's.

    draw_tab.py, train_tab.py, explore_tab.py, teach_tab.py   each tab: its layout, then its wiring
    training.py, teaching.py   the Train and Teach tabs' handlers (a run's events -> what the page shows)
    page.py        what the tabs share: the visitor, the active model, refusals made one-line messages
    guards.py      the HTTP edge in front of Gradio: its queue's share per caller, its upload route
    components.py  the page's own components (gr.HTML with JavaScript): pad, answer, plots, galleries
    curves.py, render.py, visual.py   the plots' points; HTML tables and pictures; colour maps
    texts.py       every word on the page, in English and Simplified Chinese
    assets.py      the page's static files (static/: JavaScript, CSS, HTML templates), as served
    binding.py, gradio_internals.py, errors.py   handlers bound to components; Gradio's internals
                   the app relies on, in one place; PageMessage (the page's own refusals)

The network runs in the page: the visitor's model goes to the page as a weights payload, and the
page's JavaScript (static/*.js) preprocesses each drawing and classifies it every frame, with
mnist_model as the reference it is tested against.
"""
