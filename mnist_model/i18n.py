"""Every string the app shows, in English and Simplified Chinese (the lesson this project grew from
is Chinese). The app hands TEXTS to Gradio's I18n, which follows the browser's language and lets the
visitor switch in the page's Settings; `text(key, lang)` serves server-made messages.
"""

LANGUAGES = ("en", "zh-CN")

LESSON_EN = """
**How this network learns, one step at a time** (everything named here is on this page)

1. **Forward pass.** Your drawing becomes the 28 × 28 picture shown as *Input*: 784 numbers
   between 0 and 1. The first layer multiplies them by its weights (the 28 × 28 *first-layer
   weights* images: red pixels push a unit up, blue pull it down), adds a bias, and hands the result
   on; each later layer does the same with the previous layer's output.
2. **ReLU.** After each hidden layer, negative results become 0. In the *hidden layers* heat maps
   the black cells are the units ReLU switched off for this drawing; only the lit ones pass
   information on.
3. **Softmax.** The last layer gives ten *scores*, one per digit. Softmax turns them into ten
   *probabilities* that are positive and add up to 1: e^score divided by the sum of all ten e^score.
4. **Loss.** During training the network sees a digit whose label is known. The loss is
   −log(probability of the right digit): near 0 when the network is sure and right, large when it
   is wrong. The *Training loss* curve on the Train tab is its average.
5. **Backpropagation.** The chain rule tells, for every weight, how much the loss would change if
   that weight changed a little: its gradient. The *Why this answer* map uses the same machinery on
   the input: gradient × input shows which pixels raised (red) or lowered (blue) the winning score.
6. **The optimiser's step.** Adam moves every weight a small step against its gradient (the
   learning rate sets the size), batch after batch. Train a model and move the *epoch* slider: the
   first-layer weights turn from noise into stroke detectors as the loss falls.
"""

LESSON_ZH = """
**这个网络如何学习，一步一步来**（这里提到的每一样东西都在本页上）

1. **前向传播。** 你的手写被变成 *输入* 处显示的 28 × 28 图像：784 个介于 0 和 1 之间的数。
   第一层把它们乘以自己的权重（*第一层权重* 的 28 × 28 小图：红色像素让神经元的值变大，蓝色让它变小），
   加上偏置，再把结果传下去；后面的每一层都对上一层的输出做同样的事。
2. **ReLU。** 每个隐藏层之后，负数都变成 0。在 *隐藏层* 热力图里，黑色的格子就是这次被 ReLU 关掉的神经元；
   只有亮着的格子会把信息继续传下去。
3. **Softmax。** 最后一层给出十个 *分数*，每个数字一个。Softmax 把它们变成十个为正、加起来等于 1 的 *概率*：
   e^分数 除以 十个 e^分数 之和。
4. **损失。** 训练时，网络看到的是已知标签的数字。损失是 −log(正确数字的概率)：网络又有把握又答对时接近 0，
   答错时很大。训练页上的 *训练损失* 曲线就是它的平均值。
5. **反向传播。** 链式法则告诉我们：每个权重稍微变一点，损失会变多少——这就是它的梯度。
   *为什么是这个答案* 图对输入用了同样的方法：梯度 × 输入 显示哪些像素提高了（红）或降低了（蓝）获胜的分数。
6. **优化器的一步。** Adam 让每个权重沿着梯度的反方向移动一小步（步子大小由学习率决定），一批接一批。
   训练一个模型并拖动 *轮次* 滑块：随着损失下降，第一层权重会从杂乱的噪声变成笔画检测器。
"""

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "# Draw a digit\nA small neural network (the classic MNIST multilayer perceptron) guesses it as you draw.",
        "tab_draw": "Draw",
        "tab_train": "Train",
        "tab_explore": "Explore",
        "sketch": "Draw one digit, large, in the middle",
        "clear": "Clear",
        "undo": "Undo",
        "fullscreen": "Full screen",
        "pad_hint": "Draw one digit here with the mouse, a finger or a pen",
        "server_model": "This model is too big to run in the page: the server answers after each stroke.",
        "upload": "…or upload a photo of a digit written on paper",
        "prediction": "Prediction",
        "probabilities": "Probability of each digit",
        "preview": "What the network sees: 28 × 28 pixels",
        "draw_prompt": "Draw a digit",
        "train_intro": "Change the network or the recipe, press **Train**, and watch it learn. *seed* is the tutorial's "
                       "recipe, *fast* gets above 96.7% in seconds, *best* made the shipped model.",
        "preset": "Recipe (preset)",
        "hidden": "Hidden layers: units per layer, comma-separated",
        "epochs": "Epochs",
        "batch": "Batch size",
        "lr": "Learning rate",
        "optimizer": "Optimiser",
        "schedule": "Learning-rate schedule",
        "augment": "Augmentation (shifts, rotations, sizes, stroke widths)",
        "seed": "Random seed",
        "device": "Device",
        "train": "Train",
        "stop": "Stop",
        "loss_plot": "Training loss",
        "accuracy_plot": "Test accuracy per epoch",
        "per_class_plot": "Test accuracy per digit",
        "mistakes": "Misclassified test digits (true → predicted)",
        "use": "Use this model",
        "download": "Download",
        "save_name": "Save as (letters, digits, - and _)",
        "save": "Save",
        "saved_models": "Saved models",
        "saved_list": "Saved checkpoints",
        "load": "Use selected",
        "upload_checkpoint": "…or upload a .safetensors checkpoint",
        "reset": "Back to the shipped model",
        "explore_intro": "Inside the network, for your current drawing and the active model. Draw on the **Draw** tab; "
                         "click a first-layer unit to see what it contributes.",
        "lesson_title": "Lesson: forward pass → ReLU → softmax → loss → backpropagation → optimiser step",
        "lesson": LESSON_EN,
        "inside_input": "Input (28 × 28) and why this answer: red pixels raised the winning score, blue lowered it",
        "hidden_layers": "Hidden layers: each cell is one unit's activation after ReLU (black = switched off)",
        "scores": "Output scores before softmax",
        "softmax": "Probabilities after softmax",
        "weights": "First-layer weights: one 28 × 28 image per unit (red positive, blue negative). Click one.",
        "unit": "Selected unit",
        "server_numbers": "The server's numbers for this drawing (forward hooks on the real model): the page's live views must agree",
        "weights_epoch": "First-layer weights of your last training run, at the end of epoch",
        "projector": "Projector mode (large text)",
        "language_hint": "Language: follows your browser; change it under Settings at the bottom of the page.",
        "model_shipped": "**Active model:** the shipped model: MLP {shape}{accuracy}.",
        "model_yours": "**Active model:** your model (this session only): MLP {shape}{accuracy}.",
        "model_accuracy": ", {accuracy} on the MNIST test set",
        "progress": "epoch {epoch}/{epochs} · step {step}/{steps} · {rate} samples/s · {left} left",
        "epoch_accuracy": "· test accuracy {accuracy}",
        "loading": "Loading MNIST…",
        "stopped": "Stopped: the previous model stays active.",
        "finished": "Finished.",
        "summary": "**Test accuracy {accuracy}** after {epochs} epoch(s) in {seconds} s on {device} ({rate} samples/s). "
                   "Press *Use this model* to draw with it.",
        "saved_as": "Saved as `{name}`.",
        "mistake": "true {true} → predicted {predicted}",
        "no_run": "Train a model first: there is no finished run in this session.",
        "no_saved": "There is no saved checkpoint named {name}.",
        "no_upload": "Choose a .safetensors checkpoint file to upload.",
        "layer": "layer {layer}: {active} of {units} units active",
        "confusion": "Confusion matrix: rows = true digit, columns = predicted",
        "unit_detail": "unit {unit}: activation {activation} (rank {rank} of {units}). Left: its weights; right: weights × input.",
    },
    "zh-CN": {
        "title": "# 手写数字识别\n一个小型神经网络（经典的 MNIST 多层感知机）会在你书写时实时猜出数字。",
        "tab_draw": "写数字",
        "tab_train": "训练",
        "tab_explore": "探索网络",
        "sketch": "在中间写一个大大的数字",
        "clear": "清除",
        "undo": "撤销",
        "fullscreen": "全屏书写",
        "pad_hint": "用鼠标、手指或触控笔在这里写一个数字",
        "server_model": "这个模型太大，无法在网页中运行：每写完一笔，由服务器给出答案。",
        "upload": "…或上传一张写在纸上的数字照片",
        "prediction": "预测结果",
        "probabilities": "每个数字的概率",
        "preview": "网络看到的图像：28 × 28 像素",
        "draw_prompt": "请写一个数字",
        "train_intro": "修改网络或训练方案，按下 **开始训练**，看它如何学习。*seed* 是原教程的方案，"
                       "*fast* 几秒内达到 96.7% 以上，*best* 训练出了自带的模型。",
        "preset": "训练方案（预设）",
        "hidden": "隐藏层：每层神经元个数，用逗号分隔",
        "epochs": "训练轮数",
        "batch": "批大小",
        "lr": "学习率",
        "optimizer": "优化器",
        "schedule": "学习率调度",
        "augment": "数据增强（平移、旋转、缩放、笔画粗细）",
        "seed": "随机种子",
        "device": "设备",
        "train": "开始训练",
        "stop": "停止",
        "loss_plot": "训练损失",
        "accuracy_plot": "每轮测试准确率",
        "per_class_plot": "各数字的测试准确率",
        "mistakes": "被分错的测试数字（真实 → 预测）",
        "use": "使用这个模型",
        "download": "下载",
        "save_name": "保存为（字母、数字、- 和 _）",
        "save": "保存",
        "saved_models": "已保存的模型",
        "saved_list": "已保存的检查点",
        "load": "使用所选模型",
        "upload_checkpoint": "…或上传 .safetensors 检查点",
        "reset": "恢复自带模型",
        "explore_intro": "看看网络内部：针对你当前的手写和正在使用的模型。在 **写数字** 页书写；"
                         "点击第一层的某个神经元，看它贡献了什么。",
        "lesson_title": "课程：前向传播 → ReLU → Softmax → 损失 → 反向传播 → 优化器的一步",
        "lesson": LESSON_ZH,
        "inside_input": "输入（28 × 28）以及为什么是这个答案：红色像素提高了获胜分数，蓝色降低了它",
        "hidden_layers": "隐藏层：每个格子是一个神经元经过 ReLU 后的激活值（黑色 = 被关掉）",
        "scores": "Softmax 之前的输出分数",
        "softmax": "Softmax 之后的概率",
        "weights": "第一层权重：每个神经元一张 28 × 28 图（红为正，蓝为负）。点击其中一张。",
        "unit": "选中的神经元",
        "server_numbers": "服务器对这次书写算出的数字（真实模型上的前向钩子）：网页上的实时视图必须与之一致",
        "weights_epoch": "你上一次训练的第一层权重：第几轮结束时",
        "projector": "投影模式（大字体）",
        "language_hint": "语言：跟随浏览器设置；可在页面底部的 Settings（设置）中切换。",
        "model_shipped": "**正在使用：** 自带模型：多层感知机 {shape}{accuracy}。",
        "model_yours": "**正在使用：** 你的模型（仅本次会话）：多层感知机 {shape}{accuracy}。",
        "model_accuracy": "，MNIST 测试集准确率 {accuracy}",
        "progress": "第 {epoch}/{epochs} 轮 · 第 {step}/{steps} 步 · 每秒 {rate} 个样本 · 剩余 {left}",
        "epoch_accuracy": "· 测试准确率 {accuracy}",
        "loading": "正在加载 MNIST…",
        "stopped": "已停止：之前的模型仍在使用。",
        "finished": "完成。",
        "summary": "**测试准确率 {accuracy}**：训练 {epochs} 轮，用时 {seconds} 秒，设备 {device}（每秒 {rate} 个样本）。"
                   "按 *使用这个模型* 即可用它识别你写的数字。",
        "saved_as": "已保存为 `{name}`。",
        "mistake": "真实 {true} → 预测 {predicted}",
        "no_run": "请先训练一个模型：本次会话还没有完成的训练。",
        "no_saved": "没有名为 {name} 的已保存检查点。",
        "no_upload": "请选择一个 .safetensors 检查点文件上传。",
        "layer": "第 {layer} 层：{units} 个神经元中有 {active} 个被激活",
        "confusion": "混淆矩阵：行 = 真实数字，列 = 预测数字",
        "unit_detail": "神经元 {unit}：激活值 {activation}（在 {units} 个中排第 {rank}）。左：它的权重；右：权重 × 输入。",
    },
}


def text(key: str, lang: str = "en", **values) -> str:
    """The string `key` in `lang` (a browser language tag such as 'zh-CN' or 'en-US'; English for any
    other), with `values` filled in."""
    chosen = "zh-CN" if str(lang or "").lower().startswith("zh") else "en"
    return TEXTS[chosen][key].format(**values)
