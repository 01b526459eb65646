"""One optimiser step at a time, for the lesson: forward pass -> loss -> backward pass -> update.

    run = new_run(preset("seed"), device)      # a fresh network and its optimiser
    report = take_step(run, data)              # one step on one batch of the tutorial's size (15)
    report.before, report.loss, report.gradient_norms, report.weight_change, report.after

Everything a StepReport holds is measured on the real model during the real step. A run can be
stepped from where a training run finished or was stopped (go_on_from), and a run stepped through
can then be trained further: train(cfg, data, go_on=run).
"""

import copy
from dataclasses import dataclass, field

import numpy as np
import torch

from .config import TrainConfig
from .data import MnistTensors
from .model import CNN, MLP, build_network
from .sampling import as_float
from .train import build_model, loss_fn, make_optimizer
from .train_events import Finished, Stopped

TUTORIAL_BATCH = 15  # the lesson's batch size


@dataclass
class RunState:
    """A run taken one step at a time: its recipe, network, optimiser and batch order."""

    config: TrainConfig
    model: MLP | CNN
    optimizer: torch.optim.Optimizer = field(repr=False)
    generator: torch.Generator = field(repr=False)
    steps: int = 0
    origin: str = "fresh"  # where the network comes from: "fresh", "finished" or "stopped" (a training run)

    @property
    def device(self) -> torch.device:
        return next(self.model.parameters()).device

    def state_dict(self) -> dict:
        """Everything of the run as plain tensors and numbers, on the CPU (torch.save writes it; a run
        stepped on a GPU comes back as well)."""
        run = self if self.device.type == "cpu" else self.to(torch.device("cpu"))
        return {"config": run.config.to_dict(), "model": run.model.state_dict(),
                "optimizer": run.optimizer.state_dict(), "generator": run.generator.get_state(),
                "steps": run.steps, "origin": run.origin}

    @classmethod
    def from_state_dict(cls, kept: dict) -> "RunState":
        """The run that state_dict() described, on the CPU."""
        config = TrainConfig.from_dict(kept["config"])
        model = build_network(**config.network)
        model.load_state_dict(kept["model"])
        optimizer = make_optimizer(config, model.parameters(), torch.device("cpu"))
        optimizer.load_state_dict(kept["optimizer"])
        generator = torch.Generator()
        generator.set_state(kept["generator"])
        return cls(config, model, optimizer, generator, kept["steps"], kept["origin"])

    def to(self, device: torch.device) -> "RunState":
        """This run on another device: its network, and its optimiser's running averages with it."""
        model = self.model.to(device)
        optimizer = make_optimizer(self.config, model.parameters(), device)
        optimizer.load_state_dict(self.optimizer.state_dict())
        generator = torch.Generator(device=device).manual_seed(self.config.seed + self.steps)
        return RunState(self.config, model, optimizer, generator, self.steps, self.origin)


@dataclass
class StepReport:
    """What one optimiser step did."""

    images: np.ndarray  # (batch, 28, 28) the batch, in [0, 1]
    labels: np.ndarray  # (batch,) their true digits
    before: np.ndarray  # (batch, 10) the network's probabilities before the step
    after: np.ndarray  # (batch, 10) ... and after it
    loss: float  # the batch's loss before the step: the number the backward pass differentiated
    loss_after: float  # the same batch's loss after the step
    gradient_norms: list[float]  # per layer: the length (L2 norm) of its weights' and bias's gradient
    weight_change: np.ndarray  # (units, 784) how the step moved each first-layer weight
    lr: float
    steps: int  # the run's steps so far, this one included
    origin: str = "fresh"  # the network stepped: a fresh one, or a training run's (finished or stopped)
    run_batch: int = TUTORIAL_BATCH  # the batch size of the run's recipe (a step's batch is the lesson's)


def new_run(cfg: TrainConfig, device: torch.device | str = "cpu") -> RunState:
    """A fresh network for `cfg` (seeded as train() seeds it) and its optimiser."""
    device = torch.device(device)
    model = build_model(cfg, device)
    optimizer = make_optimizer(cfg, model.parameters(), device)
    return RunState(cfg, model, optimizer, torch.Generator(device=device).manual_seed(cfg.seed))


def go_on_from(event: Finished | Stopped, cfg: TrainConfig) -> RunState | None:
    """A training run that finished or was stopped, as a RunState on the CPU, so that Step and Train
    can go on with the network it left (a copy: stepping it never changes the run's own model, which
    may be someone's active model); None when the event carries no network."""
    if event.model is None or event.optimizer is None:
        return None
    device = torch.device("cpu")
    model = copy.deepcopy(event.model).to(device)
    optimizer = make_optimizer(cfg, model.parameters(), device)
    optimizer.load_state_dict(event.optimizer.state_dict())  # moves its running averages to the CPU
    steps = event.result.steps if isinstance(event, Finished) else event.steps
    origin = "finished" if isinstance(event, Finished) else "stopped"
    return RunState(cfg, model, optimizer, torch.Generator().manual_seed(cfg.seed + steps), steps, origin)


@torch.no_grad()
def _probabilities(model: MLP | CNN, images: torch.Tensor) -> np.ndarray:
    return model(images).exp().cpu().numpy()


def take_step(run: RunState, data: MnistTensors, batch_size: int = TUTORIAL_BATCH) -> StepReport:
    """One optimiser step of `run`, on its device, on a random batch of MNIST's training images."""
    model, optimizer, device = run.model, run.optimizer, run.device
    idx = torch.randint(len(data.train_y), (batch_size,), device=run.generator.device, generator=run.generator)
    idx = idx.to(data.train_y.device)
    images, labels = as_float(data.train_x[idx].to(device)), data.train_y[idx].to(device)
    model.train()
    before = _probabilities(model, images)
    first = model.layers[0].weight.detach().clone()
    loss = loss_fn(model(images), labels, run.config.label_smoothing)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    norms = [float(torch.sqrt(layer.weight.grad.pow(2).sum() + layer.bias.grad.pow(2).sum())) for layer in model.layers]
    optimizer.step()
    run.steps += 1
    with torch.no_grad():
        loss_after = float(loss_fn(model(images), labels, run.config.label_smoothing))
    return StepReport(
        images=images.cpu().numpy(), labels=labels.cpu().numpy(), before=before, after=_probabilities(model, images),
        loss=loss.item(), loss_after=loss_after, gradient_norms=norms,
        weight_change=(model.layers[0].weight.detach() - first).cpu().numpy(),
        lr=float(optimizer.param_groups[0]["lr"]), steps=run.steps, origin=run.origin, run_batch=run.config.batch_size,
    )
