"""Choosing the device once, at the entry point, and listing the devices that really exist."""

import torch

from .errors import DeviceError


def _mps_available() -> bool:
    mps = getattr(torch.backends, "mps", None)
    return bool(mps and mps.is_available())


def available_devices() -> list[tuple[str, str]]:
    """Devices present on this machine, fastest first, as (device string, human label)."""
    devices = []
    if torch.cuda.is_available():
        for i in range(torch.cuda.device_count()):
            devices.append((f"cuda:{i}", f"GPU {i}: {torch.cuda.get_device_name(i)}"))
    if _mps_available():
        devices.append(("mps", "Apple GPU (MPS)"))
    devices.append(("cpu", "CPU"))
    return devices


def resolve_device(name: str = "auto") -> torch.device:
    """Turn 'auto', 'cpu', 'cuda', 'cuda:N' or 'mps' into a torch.device that exists here.

    'auto' picks CUDA, then MPS, then the CPU. Anything absent raises DeviceError.
    """
    name = str(name).strip().lower()
    if name == "auto":
        return torch.device(available_devices()[0][0])
    try:
        device = torch.device(name)
    except RuntimeError:
        raise DeviceError("device_unknown", name=name) from None
    if device.type == "cpu":
        return device
    if device.type == "cuda":
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if count == 0:
            raise DeviceError("device_no_cuda", name=name)
        index = 0 if device.index is None else device.index
        if index >= count:
            raise DeviceError("device_cuda_count", name=name, count=count)
        return torch.device("cuda", index)
    if device.type == "mps":
        if not _mps_available():
            raise DeviceError("device_no_mps", name=name)
        return device
    raise DeviceError("device_unsupported", name=name)
