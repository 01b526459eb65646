"""The package's own messages: one sentence per error, in English and Simplified Chinese.

Every MnistModelError carries a key of ERRORS and the values it names; `error_text` words it in a
language. `language` is the one place a language tag is read: the page's copy (app_ui/texts.py)
picks its language with it too.
"""

LANGUAGES = ("en", "zh-CN")
MAX_ECHO = 40  # characters of a visitor's value that a message repeats
ECHOED = {"got", "name", "names", "found", "key", "code"}  # the values a visitor gave (what the server says is whole)


def language(lang) -> str:
    """'zh-CN' for any Chinese tag ('zh', 'zh-CN', 'zh-Hans-CN'...), else 'en'."""
    return "zh-CN" if str(lang or "").lower().startswith("zh") else "en"


def echo(value) -> str:
    """A value as a message repeats it: its repr, cut to MAX_ECHO characters."""
    shown = repr(value)
    return shown if len(shown) <= MAX_ECHO else shown[: MAX_ECHO - 1] + "…"


ERRORS: dict[str, dict[str, str]] = {
    "en": {
        # pictures
        "not_a_picture": "the image must be a picture file, a numpy array or a PIL image, got {type}",
        "bad_shape": "the image must be H x W, H x W x 3 or H x W x 4, got shape {shape}",
        "too_small": "the image is {width}x{height} px; it needs at least {min} px on each side",
        "too_large": "the image is {width}x{height} px; the largest accepted side is {max} px",
        "too_many_pixels": "the image is {width}x{height} px, {mp} megapixels; the largest accepted is {max} megapixels",
        "too_many_pixels_count": "the image has {mp} megapixels; the largest accepted is {max} megapixels",
        "int_range": "integer image values must lie in 0..{top}, got {low}..{high}",
        "not_finite": "the image contains NaN or infinite values",
        "float_range": "float image values must lie in [0, 1], got {low}..{high}",
        "pixel_type": "the image has unsupported pixel type {dtype}",
        "unreadable": "cannot read this file as an image ({reason})",
        "not_an_image_file": "this file is not a picture this app reads ({formats})",
        "empty_file": "the file is empty",
        "not_a_path": "expected the path of an image file, got {type}",
        "damaged": "the image file is damaged or truncated ({reason})",
        "drawing_not_png": "a drawing must be a PNG picture given as a data URL (data:image/png;base64,...)",
        "drawing_not_base64": "the drawing's data URL is not valid base64",
        # the network and its training
        "hidden_not_list": "hidden sizes must be a list of integers, got {got!r}",
        "hidden_layers": "the network needs {min} to {max} hidden layers, got {got!r}",
        "hidden_units": "each hidden layer needs {min} to {max} units, got {got!r}",
        "hidden_text": "hidden sizes must be whole numbers like 64,64,64, got {got!r}",
        "epochs_range": "epochs must be a whole number from 1 to {max}, got {got!r}",
        "batch_range": "batch size must be a whole number from 1 to {max}, got {got!r}",
        "lr_range": "learning rate must be a number above 0 and at most 10, got {got!r}",
        "optimizer_choice": "optimizer must be one of {choices}, got {got!r}",
        "momentum_range": "momentum must be a number in [0, 1), got {got!r}",
        "schedule_choice": "schedule must be one of {choices}, got {got!r}",
        "activation_choice": "activation must be one of {choices}, got {got!r}",
        "architecture_choice": "the network must be one of {choices}, got {got!r}",
        "drawn_range": "the drawn-digit share must be a number from 0 to {max}, got {got!r}",
        "not_a_digit_range": "the not-a-digit share must be a number from 0 to {max}, got {got!r}",
        "shares_sum": ("the drawn-digit and not-a-digit shares together must be at most {max} (some MNIST stays in "
                       "every epoch), got {drawn!r} + {not_a_digit!r}"),
        "answers_choice": "a network answers with 10 digits, or 11 with \"not a digit\", got {got!r}",
        "smoothing_range": "label smoothing must be a number from 0 to {max}, got {got!r}",
        "seed_range": "seed must be a whole number of at least 0, got {got!r}",
        "augment_bool": "augmentation must be true or false, got {got!r}",
        "budget": "this run would take about {estimate} here, and this server allows {limit} per run. With these "
                  "settings {epochs} epoch(s) fit; a larger batch, a smaller network or no augmentation is faster",
        "budget_none": "this run would take about {estimate} here, and this server allows {limit} per run; even one "
                       "epoch takes {epoch}. A larger batch, a smaller network or no augmentation is faster",
        "budget_steps": "its {steps} steps would take about {estimate} here, and this server allows {limit}: a "
                        "smaller network fits (the shipped one takes a few seconds)",
        "budget_paced": "at this pace this run would keep the processor busy for about {estimate}, and this server "
                        "allows {limit} per run: a faster pace, fewer epochs or a smaller network fits",
        "budget_memory": "this run would hold about {need} MB of memory, and this server gives one run at most "
                         "{limit} MB, however long it waits: a smaller batch or a smaller network fits",
        "unknown_preset": "unknown preset {got!r}: choose one of {choices}",
        "unknown_settings": "unknown training setting(s): {names}",
        "data_device": "the data is on {data}, training was asked on {device}",
        "pace_range": "the pace must be a number of steps per second above 0 and at most {max:g}, got {got!r}",
        "drawn_not_loaded": "training with drawn digits needs them loaded: see mnist_model.pen_digits.load_pen_digit_tensors",
        "not_digits_not_loaded": ("learning \"not a digit\" needs letters and doodles loaded: see "
                                  "mnist_model.not_digits.load_not_digit_tensors"),
        "line_yours": "you have a run going already: stop it, or let it finish, before you start another",
        "line_full": "{waiting} runs are waiting to train already, as many as this server lets wait: try again "
                     "in a few minutes",
        # classes (class_store.py)
        "teach_too_few": "teaching needs at least {needed} drawings; there are {count}: add some more",
        "teach_too_few_digits": "teaching needs at least {needed} drawings of digits; there are {count} (and "
                                "{left_out} that are not a digit, which this network of ten answers cannot learn): "
                                "add some more",
        # checkpoints
        "ckpt_too_short": "{name} is not a safetensors checkpoint (only {size} bytes)",
        "ckpt_truncated": "{name} is not a safetensors checkpoint, or it is truncated",
        "ckpt_unreadable_header": "{name} is not a safetensors checkpoint (unreadable header)",
        "ckpt_foreign": "{name} is a safetensors file but not an mnist_model checkpoint",
        "ckpt_bad_metadata": "{name} has unreadable metadata",
        "ckpt_bad_accuracy": "{name} has an impossible {key} in its metadata: an accuracy is a number from 0 to 1",
        "ckpt_bad_field": "{name} has an impossible {key} in its metadata",
        "ckpt_format": "{name} has format {found!r}, expected {expected!r}",
        "ckpt_invalid_network": "{name} describes an invalid network: {reason}",
        "ckpt_empty": "{name} is empty",
        "ckpt_too_big": "{name} is {mb} MB, larger than any mnist_model checkpoint",
        "ckpt_corrupt": "{name} is corrupt or truncated ({reason})",
        "ckpt_shapes": "{name} holds tensors that do not fit its network {network}",
        "ckpt_values": "{name} has non-finite or non-float32 values in {key}",
        "ckpt_overflows": "{name}'s weights are so large that its scores for a drawing could overflow and not be numbers",
        "ckpt_missing": "no checkpoint file at {path}",
        "name_not_allowed": "checkpoint name {name!r} is not allowed: use 1 to 64 letters, digits, '-' or '_', "
                            "starting with a letter or digit",
        "name_reserved": "{name!r} is the shipped model and cannot be overwritten: choose another name",
        "name_windows": "{name!r} is a device name on Windows and cannot be a file name there: choose another name",
        # data and devices
        "mnist_missing": "MNIST is not in {folder} (download disabled): put the four files {files} there, "
                         "or point --data-dir / ${var} at a folder that has them",
        "mnist_download_failed": "MNIST is not in {folder} (download failed: {reason}): put the four files {files} "
                                 "there, or point --data-dir / ${var} at a folder that has them",
        "mnist_unwritable": "MNIST is not in {folder} (cannot write there: {reason}): put the four files {files} "
                            "there, or point --data-dir / ${var} at a folder that has them",
        "mnist_unreadable": "MNIST in {folder} cannot be read ({reason}): put the four files {files} there "
                            "as MNIST's site has them (uncompressed), or point --data-dir / ${var} at a folder that has them",
        "drawn_unreadable": "the pen-written digits cannot be read from {path} ({reason})",
        "device_unknown": "unknown device {name!r}: use auto, cpu, cuda, cuda:N or mps",
        "device_no_cuda": "device {name!r} was asked for, but this machine has no CUDA GPU",
        "device_cuda_count": "device {name!r} does not exist: this machine has {count} CUDA GPU(s)",
        "device_no_mps": "device {name!r} was asked for, but Apple MPS is not available here",
        "device_unsupported": "unsupported device {name!r}: use auto, cpu, cuda, cuda:N or mps",
    },
    "zh-CN": {
        "not_a_picture": "图像必须是图片文件、numpy 数组或 PIL 图像，收到的是 {type}",
        "bad_shape": "图像的形状必须是 H x W、H x W x 3 或 H x W x 4，收到的是 {shape}",
        "too_small": "图像为 {width}x{height} 像素；每边至少需要 {min} 像素",
        "too_large": "图像为 {width}x{height} 像素；最长边最多 {max} 像素",
        "too_many_pixels": "图像为 {width}x{height} 像素，共 {mp} 百万像素；最多接受 {max} 百万像素",
        "too_many_pixels_count": "图像有 {mp} 百万像素；最多接受 {max} 百万像素",
        "int_range": "整数图像的像素值必须在 0..{top} 之间，收到的是 {low}..{high}",
        "not_finite": "图像中含有 NaN 或无穷大",
        "float_range": "浮点图像的像素值必须在 [0, 1] 之间，收到的是 {low}..{high}",
        "pixel_type": "图像的像素类型 {dtype} 不受支持",
        "unreadable": "无法把这个文件当作图片读取（{reason}）",
        "not_an_image_file": "这个文件不是本应用能读取的图片（{formats}）",
        "empty_file": "文件是空的",
        "not_a_path": "需要一个图片文件的路径，收到的是 {type}",
        "damaged": "图片文件已损坏或不完整（{reason}）",
        "drawing_not_png": "书写内容必须是以 data URL 给出的 PNG 图片（data:image/png;base64,...）",
        "drawing_not_base64": "书写内容的 data URL 不是有效的 base64",
        "hidden_not_list": "隐藏层大小必须是整数列表，收到的是 {got!r}",
        "hidden_layers": "网络需要 {min} 到 {max} 个隐藏层，收到的是 {got} 个",
        "hidden_units": "每个隐藏层需要 {min} 到 {max} 个神经元，收到的是 {got!r}",
        "hidden_text": "隐藏层大小必须是像 64,64,64 这样的整数，收到的是 {got!r}",
        "epochs_range": "训练轮数必须是 1 到 {max} 之间的整数，收到的是 {got!r}",
        "batch_range": "批大小必须是 1 到 {max} 之间的整数，收到的是 {got!r}",
        "lr_range": "学习率必须大于 0 且不超过 10，收到的是 {got!r}",
        "optimizer_choice": "优化器必须是 {choices} 之一，收到的是 {got!r}",
        "momentum_range": "动量必须在 [0, 1) 之间，收到的是 {got!r}",
        "schedule_choice": "学习率调度必须是 {choices} 之一，收到的是 {got!r}",
        "activation_choice": "激活函数必须是 {choices} 之一，收到的是 {got!r}",
        "architecture_choice": "网络必须是 {choices} 之一，收到的是 {got!r}",
        "drawn_range": "手写数字的比例必须是 0 到 {max} 之间的数，收到的是 {got!r}",
        "not_a_digit_range": "“不是数字”的比例必须是 0 到 {max} 之间的数，收到的是 {got!r}",
        "shares_sum": "手写数字和“不是数字”的比例加起来最多是 {max}（每轮都留一些 MNIST），收到的是 {drawn!r} + {not_a_digit!r}",
        "answers_choice": "网络的答案是 10 个数字，或者再加上“不是数字”共 11 个，收到的是 {got!r}",
        "smoothing_range": "标签平滑必须是 0 到 {max} 之间的数，收到的是 {got!r}",
        "seed_range": "随机种子必须是不小于 0 的整数，收到的是 {got!r}",
        "augment_bool": "数据增强只能是 true 或 false，收到的是 {got!r}",
        "budget": "这次训练在这里大约需要 {estimate}，而服务器每次训练最多允许 {limit}。按现在的设置，最多可以训练 {epochs} 轮；"
                  "更大的批、更小的网络或关闭数据增强都会更快",
        "budget_none": "这次训练在这里大约需要 {estimate}，而服务器每次训练最多允许 {limit}；仅一轮就需要 {epoch}。"
                       "更大的批、更小的网络或关闭数据增强都会更快",
        "budget_steps": "它的 {steps} 步在这里大约需要 {estimate}，而服务器最多允许 {limit}：换一个更小的网络就可以"
                        "（自带的模型只需几秒）",
        "budget_paced": "按这个速度，这次训练会占用处理器大约 {estimate}，而服务器每次训练最多允许 {limit}："
                        "换更快的速度、更少的轮数或更小的网络就可以",
        "budget_memory": "这次训练大约要占用 {need} MB 内存，而服务器给每次训练最多 {limit} MB，等多久都不够："
                         "换一个更小的批或更小的网络就可以",
        "unknown_preset": "未知的预设 {got!r}：请从 {choices} 中选择",
        "unknown_settings": "未知的训练设置：{names}",
        "data_device": "数据在 {data} 上，训练却要求在 {device} 上进行",
        "pace_range": "速度必须是大于 0、不超过 {max:g} 的每秒步数，收到的是 {got!r}",
        "drawn_not_loaded": "用手写数字训练需要先加载它们：见 mnist_model.pen_digits.load_pen_digit_tensors",
        "not_digits_not_loaded": "学习“不是数字”需要先加载字母和涂鸦：见 mnist_model.not_digits.load_not_digit_tensors",
        "line_yours": "你已经有一次训练在进行：请先停止它，或等它结束，再开始新的训练",
        "line_full": "已经有 {waiting} 次训练在排队，达到了服务器允许的上限：请过几分钟再试",
        "teach_too_few": "教学至少需要 {needed} 个数字，现在只有 {count} 个：请再添加一些",
        "teach_too_few_digits": "教学至少需要 {needed} 个数字，现在只有 {count} 个（另有 {left_out} 个不是数字的画，"
                                "这个只有十个答案的网络学不了）：请再添加一些",
        "ckpt_too_short": "{name} 不是 safetensors 检查点（只有 {size} 字节）",
        "ckpt_truncated": "{name} 不是 safetensors 检查点，或者它不完整",
        "ckpt_unreadable_header": "{name} 不是 safetensors 检查点（文件头无法读取）",
        "ckpt_foreign": "{name} 是 safetensors 文件，但不是 mnist_model 的检查点",
        "ckpt_bad_metadata": "{name} 的元数据无法读取",
        "ckpt_bad_accuracy": "{name} 的元数据中 {key} 不合理：准确率应是 0 到 1 之间的数",
        "ckpt_bad_field": "{name} 的元数据中 {key} 不合理",
        "ckpt_format": "{name} 的格式是 {found!r}，需要的是 {expected!r}",
        "ckpt_invalid_network": "{name} 描述的网络无效：{reason}",
        "ckpt_empty": "{name} 是空文件",
        "ckpt_too_big": "{name} 有 {mb} MB，比任何 mnist_model 检查点都大",
        "ckpt_corrupt": "{name} 已损坏或不完整（{reason}）",
        "ckpt_shapes": "{name} 中的张量与它的网络 {network} 不匹配",
        "ckpt_values": "{name} 的 {key} 中有非有限值或非 float32 的值",
        "ckpt_overflows": "{name} 的权重太大：它对一幅书写给出的分数可能溢出，不再是数字",
        "ckpt_missing": "{path} 处没有检查点文件",
        "name_not_allowed": "检查点名称 {name!r} 不可用：请使用 1 到 64 个字母、数字、'-' 或 '_'，并以字母或数字开头",
        "name_reserved": "{name!r} 是自带模型，不能被覆盖：请换一个名字",
        "name_windows": "{name!r} 在 Windows 上是设备名，不能用作文件名：请换一个名字",
        "mnist_missing": "MNIST 不在 {folder} 中（下载已关闭）：请把四个文件 {files} 放到那里，"
                         "或用 --data-dir / ${var} 指向包含它们的文件夹",
        "mnist_download_failed": "MNIST 不在 {folder} 中（下载失败：{reason}）：请把四个文件 {files} 放到那里，"
                                 "或用 --data-dir / ${var} 指向包含它们的文件夹",
        "mnist_unwritable": "MNIST 不在 {folder} 中（无法写入：{reason}）：请把四个文件 {files} 放到那里，"
                            "或用 --data-dir / ${var} 指向包含它们的文件夹",
        "mnist_unreadable": "无法读取 {folder} 中的 MNIST（{reason}）：请把四个文件 {files} 按 MNIST 网站上的原样（解压后）放到那里，"
                            "或用 --data-dir / ${var} 指向包含它们的文件夹",
        "drawn_unreadable": "无法从 {path} 读取手写数字（{reason}）",
        "device_unknown": "未知设备 {name!r}：请使用 auto、cpu、cuda、cuda:N 或 mps",
        "device_no_cuda": "要求使用设备 {name!r}，但这台机器没有 CUDA GPU",
        "device_cuda_count": "设备 {name!r} 不存在：这台机器有 {count} 个 CUDA GPU",
        "device_no_mps": "要求使用设备 {name!r}，但这里没有 Apple MPS",
        "device_unsupported": "不支持的设备 {name!r}：请使用 auto、cpu、cuda、cuda:N 或 mps",
    },
}


def duration(seconds: float) -> str:
    """Seconds as m:ss, or h:mm:ss from an hour on; "…" while unknown."""
    if not seconds == seconds or seconds == float("inf"):
        return "…"
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class _Echo:
    """A value named in a message, shown at most MAX_ECHO characters long, whichever way it is formatted."""

    def __init__(self, value):
        self.value = value

    def __repr__(self) -> str:
        return echo(self.value)

    def __format__(self, spec: str) -> str:
        shown = format(self.value, spec)
        return shown if len(shown) <= MAX_ECHO else shown[: MAX_ECHO - 1] + "…"


def worded(table: dict[str, dict[str, str]], key: str, lang: str = "en", /, **values) -> str:
    """The sentence `key` of `table` ({language: {key: words}}) in `lang`: its values filled in (cut
    short when long: a message never repeats a visitor's megabyte), an error given as a value (a
    cause) worded in that language too."""
    chosen = language(lang)
    values = {k: v.message(chosen) if hasattr(v, "message") else v for k, v in values.items()}
    values = {k: _Echo(v) if k in ECHOED and (not isinstance(v, (int, float)) or len(repr(v)) > MAX_ECHO) else v
              for k, v in values.items()}
    return table[chosen][key].format(**values)


def error_text(key: str, lang: str = "en", /, **values) -> str:
    """A package error's sentence in `lang` (see worded)."""
    return worded(ERRORS, key, lang, **values)
