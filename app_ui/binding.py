"""Handlers of plain values, bound to the page's components by name, and the one way a tab wires its events."""

import functools
import inspect

import gradio as gr


ALL_PROPS = "*"  # in `props`: the handler's value is a dict of the component's props


def bound(handler, outputs: dict[str, gr.components.Component], props: dict[str, str] | None = None,
          unchanged: gr.components.Component | None = None):
    """`handler`, which returns (or yields) dicts keyed by output names, as Gradio takes it: keyed by
    components. A name in `props` is one of the page's own components (components.PageComponent),
    and its value that prop's (or, for ALL_PROPS, a dict of its props): it becomes the component's
    update. An empty dict changes nothing: it is said as `unchanged` (one of the event's outputs)
    skipped, as Gradio takes an empty dict for one value and fails ("didn't return enough output
    values"). The handler's signature (and so the API's parameter names) stays its own."""
    props = props or {}

    def update(name: str, value):
        return outputs[name].update(**(value if props[name] == ALL_PROPS else {props[name]: value}))

    def convert(out: dict) -> dict:
        if not out and unchanged is not None:
            return {unchanged: gr.skip()}
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


class Wiring:
    """How each of the four tabs wires its events, the one way: its components by name (a dict its
    layout fills), and each event a trigger, a handler and the names of its inputs and outputs. A
    handler `by_name` returns (or yields) dicts keyed by output names (`bound`, with `props` for the
    page's own components); any other returns its outputs' values in order, as Gradio takes them."""

    def __init__(self, components: dict[str, gr.components.Component], props: dict[str, str] | None = None):
        self.components, self.props = components, props or {}

    def named(self, *names: str) -> list[gr.components.Component]:
        return [self.components[name] for name in names]

    def on(self, trigger, handler, inputs: tuple[str, ...] = (), outputs: tuple[str, ...] = (), by_name: bool = False,
           **kwargs):
        """`trigger` (a component's event method, or the page's load) runs `handler` on the named inputs
        into the named outputs; Gradio's keyword arguments pass through. Returns Gradio's dependency."""
        if by_name and handler is not None:
            handler = bound(handler, self.components, self.props, self.components[outputs[0]] if outputs else None)
        return trigger(handler, inputs=self.named(*inputs), outputs=self.named(*outputs), **kwargs)
