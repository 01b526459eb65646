"""The app's user interface, beside app.py: everything that is Gradio or the browser.

    page.py        what the tabs share: the visitor's state, the shipped model, errors made messages
    assets.py      the page's static files (JavaScript, CSS, HTML templates) and how they are served
    components.py  the page's own components: DigitPad (drawing), Answer, LiveLayers, picture upload
    render.py      HTML and PNG renderings of what mnist_model computes
    hosting.py     a public host's bounds: the app's folder, its sweeping, the limits
    workspace.py   saved models that belong to their visitor
    draw_tab.py    the Draw tab        train_tab.py   the Train tab        explore_tab.py   the Explore tab

The network runs in the page: the visitor's model goes to the page as a weights payload, and the
page's JavaScript (static/*.js) preprocesses each drawing and classifies it every frame, with
mnist_model as the reference it is tested against.
"""
