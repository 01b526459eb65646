"""Handlers of plain values, bound to the page's components by name."""

import functools
import inspect

import gradio as gr


ALL_PROPS = "*"  # in `props`: the handler's value is a dict of the component's props


def bound(handler, outputs: dict[str, gr.components.Component], props: dict[str, str] | None = None):
    """`handler`, which returns (or yields) dicts keyed by output names, as Gradio takes it: keyed by
    components. A name in `props` is one of the page's own components (components.PageComponent),
    and its value that prop's (or, for ALL_PROPS, a dict of its props): it becomes the component's
    update. The handler's signature (and so the API's parameter names) stays its own."""
    props = props or {}

    def update(name: str, value):
        return outputs[name].update(**(value if props[name] == ALL_PROPS else {props[name]: value}))

    def convert(out: dict) -> dict:
        return {outputs[name]: update(name, value) if name in props else value for name, value in out.items()}

    if inspect.isgeneratorfunction(handler):
        @functools.wraps(handler)
        def stream(*args):
            for out in handler(*args):
                yield convert(out)
        return stream

    @functools.wraps(handler)
    def call(*args):
        return convert(handler(*args))
    return call
