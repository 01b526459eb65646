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
   learning rate sets the size), batch after batch. *Step* on the Train tab takes one such step and
   shows it. Train a model and move the *epoch* slider: the first-layer weights turn from noise into
   stroke detectors as the loss falls.
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
   训练页上的 *单步* 只做这样的一步，并把它展示出来。训练一个模型并拖动 *轮次* 滑块：随着损失下降，第一层权重会从杂乱的噪声变成笔画检测器。
"""

STEP_LESSON_EN = """
**One optimiser step** (press *Step* and follow the panel below it)

1. *The batch*: fifteen training images, the lesson's batch size, with the network's guess for each
   before the step: the **forward pass**.
2. *The loss*: the mean of −log(probability of the right digit) over the batch. One number.
3. *The gradient*: **backpropagation** computes, for every weight, how the loss changes when that
   weight changes; the bars give each layer's gradient length.
4. *The update*: the optimiser (Adam here) moves every weight a little against its gradient. The
   picture shows how the first layer's weights moved, one tile per unit; the guesses after the step
   follow, and the loss on the same batch is lower. Press *Step* again: the same run goes on.
   *Train* continues it from there.

**A model knows only the data it learned from.** MNIST's digits were written by American census
staff and students on paper. People elsewhere write a 1 with a long up-stroke, cross their 7s,
slash their 0s. Train with the pen-written digits' share at 0 and the per-digit table shows the
network stumble on those writers' 1s, 0s and 4s while it scores 99% on MNIST; give the share 0.3 and
it learns them, with MNIST as good as before. The writers it is measured on never took part in
training: that is what *generalisation* means.
"""

STEP_LESSON_ZH = """
**优化器的一步**（按下 *单步*，然后看下方的面板）

1. *这一批*：十五张训练图像（原教程的批大小），以及更新前网络对每一张的猜测：这就是 **前向传播**。
2. *损失*：这一批上 −log(正确数字的概率) 的平均值，一个数。
3. *梯度*：**反向传播** 算出每个权重稍微变一点时损失会怎样变化；柱形表示每一层梯度的长度。
4. *更新*：优化器（这里是 Adam）让每个权重沿梯度的反方向移动一小步。图片显示第一层权重如何移动，每个神经元一张小图；
   下面是更新后的猜测，同一批数据上的损失变小了。再按 *单步*：同一次训练继续。*开始训练* 会从这里接着训练。

**模型只认识它学过的数据。** MNIST 的数字是美国人口普查局的职员和学生写在纸上的。别的地方的人写 1 时带一条长长的起笔，
7 中间加一横，0 上加一道斜线。把手写数字的比例设为 0 来训练，各数字准确率表会显示：网络在 MNIST 上有 99%，
却认不好这些书写者的 1、0 和 4；把比例设为 0.3，它就学会了，MNIST 上依然一样好。用来衡量它的书写者从未参与训练：
这就是 *泛化* 的含义。
"""

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "# Draw a digit\nA small neural network (the classic MNIST multilayer perceptron) guesses it as you draw.",
        "tab_draw": "Draw",
        "tab_train": "Train",
        "tab_explore": "Explore",
        "clear": "Clear",
        "undo": "Undo",
        "fullscreen": "Full screen",
        "pad_hint": "Draw one digit here with the mouse, a finger or a pen",
        "server_model": "This model is too big to run in the page: the server answers after each stroke.",
        "upload": "…or upload a photo of a digit written on paper",
        "probabilities": "Probability of each digit",
        "preview": "What the network sees: 28 × 28 pixels",
        "draw_prompt": "Draw a digit",
        "train_intro": "Change the network or the recipe, press **Train**, and watch it learn; each finished run stays "
                       "on the plots beside the next ones, so recipes can be compared. **Step** takes one optimiser "
                       "step and shows what it did. A pace slows a run down so that a class can watch it.",
        "preset": "Recipe (preset)",
        "hidden": "Hidden layers: units per layer, comma-separated",
        "epochs": "Epochs",
        "batch": "Batch size",
        "lr": "Learning rate",
        "optimizer": "Optimiser",
        "schedule": "Learning-rate schedule",
        "augment": "Augmentation (shifts, rotations, sizes, slants, warps, stroke widths)",
        "seed_field": "Random seed",
        "device": "Device",
        "train": "Train",
        "stop": "Stop",
        "loss_plot": "Training loss",
        "mistakes": "Misclassified digits: MNIST's test set, then pen-written digits of held-out writers (true → predicted)",
        "use": "Use this model",
        "download": "Download",
        "save_name": "Save as (letters, digits, - and _)",
        "save": "Save",
        "saved_models": "Saved models",
        "saved_list": "Saved checkpoints",
        "load": "Use selected",
        "upload_checkpoint": "…or upload a .safetensors checkpoint",
        "reset": "Back to the shipped model",
        "explore_intro": "Inside the network, for your drawing and the active model. Draw here or on the **Draw** tab: "
                         "the hidden layers and the scores change as you draw. Click a first-layer unit to see what it "
                         "contributes.",
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
        "model_drawn_accuracy": ", {accuracy} on pen-written digits of writers it never saw",
        "progress": "epoch {epoch}/{epochs} · step {step}/{steps} · {rate} samples/s · {left} left",
        "epoch_accuracy": "· MNIST test {accuracy}",
        "epoch_drawn_accuracy": "· pen-written {accuracy}",
        "loading": "Loading MNIST…",
        "stopped": "Stopped: the previous model stays active.",
        "finished": "Finished.",
        "summary": "**Test accuracy {accuracy}** after {epochs} epoch(s) in {seconds} s on {device} ({rate} samples/s). "
                   "Press *Use this model* to draw with it.",
        "summary_drawn": "On pen-written digits of writers it never saw: **{accuracy}**.",
        "saved_as": "Saved as `{name}`, for this session: press Download to keep it.",
        "name_taken": "{name} is the name of a model this server offers everyone: choose another name.",
        "quota_count": "You have saved {count} models, as many as this server keeps for one visitor: save over one "
                       "of their names, or download the ones you want to keep.",
        "quota_bytes": "Your saved models would take more than {mb} MB, as much as this server keeps for one "
                       "visitor: save over one of them, or download the ones you want to keep.",
        "budget": "This run would take about {estimate} here, and this server allows {limit} per run. With "
                  "these settings {epochs} epoch(s) fit; a larger batch, a smaller network or no augmentation "
                  "is faster.",
        "budget_none": "This run would take about {estimate} here, and this server allows {limit} per run; even one "
                       "epoch takes {epoch}. A larger batch, a smaller network or no augmentation is faster.",
        "time_limit": "Stopped: the run reached this server's time limit of {limit}. The previous model stays active.",
        "mistake": "MNIST: true {true} → predicted {predicted}",
        "mistake_drawn": "pen: true {true} → predicted {predicted}",
        "preset_seed": "the lesson's recipe (seed)",
        "preset_fast": "fast",
        "preset_best": "best: the shipped model's",
        "drawn": "Share of pen-written digits in each epoch (0 = MNIST only)",
        "label_smoothing": "Label smoothing (0 = the lesson's NLL loss)",
        "pace": "Pace: steps per second (0 = full speed)",
        "step": "Step",
        "clear_runs": "Clear the plots",
        "mnist_plot": "Accuracy on MNIST's test set",
        "drawn_plot": "Accuracy on pen-written digits of held-out writers",
        "per_digit": "Accuracy per digit (%)",
        "per_digit_mnist": "MNIST test",
        "per_digit_drawn": "pen-written, held-out writers",
        "no_drawn": "no drawn digits",
        "continued_run": "after {steps} single steps",
        "step_title": "One step: {steps} so far in this run (batch of {batch}, learning rate {lr})",
        "step_loss": "Loss on this batch: {before} before the step, {after} after it.",
        "step_gradients": "Length of the gradient, per layer (what backpropagation computed)",
        "step_change": "How the step moved the first layer's weights (one 28 × 28 tile per unit; red up, blue down)",
        "step_before": "The batch, with the network's guess before the step",
        "step_after": "… and after it",
        "step_guess": "true {label}, guessed {guess}",
        "step_lesson_title": "Lesson: one optimiser step, and why a model knows only the data it learned from",
        "step_lesson": STEP_LESSON_EN,
        "no_run": "Train a model first: there is no finished run in this session.",
        "no_saved": "There is no saved checkpoint named {name}.",
        "no_upload": "Choose a .safetensors checkpoint file to upload.",
        "layer": "layer {layer}: {active} of {units} units active",
        "curve_x": "epochs",
        "confusion": "Confusion matrix: rows = true digit, columns = predicted",
        "unit_detail": "unit {unit}: activation {activation} (rank {rank} of {units}). Left: its weights; right: weights × input.",
    },
    "zh-CN": {
        "title": "# 手写数字识别\n一个小型神经网络（经典的 MNIST 多层感知机）会在你书写时实时猜出数字。",
        "tab_draw": "写数字",
        "tab_train": "训练",
        "tab_explore": "探索网络",
        "clear": "清除",
        "undo": "撤销",
        "fullscreen": "全屏书写",
        "pad_hint": "用鼠标、手指或触控笔在这里写一个数字",
        "server_model": "这个模型太大，无法在网页中运行：每写完一笔，由服务器给出答案。",
        "upload": "…或上传一张写在纸上的数字照片",
        "probabilities": "每个数字的概率",
        "preview": "网络看到的图像：28 × 28 像素",
        "draw_prompt": "请写一个数字",
        "train_intro": "修改网络或训练方案，按下 **开始训练**，看它如何学习；每次完成的训练都会留在图上，与之后的训练并排，"
                       "便于比较不同方案。**单步** 只做一次优化器更新，并展示它做了什么。设置速度可以让训练慢下来，方便全班观看。",
        "preset": "训练方案（预设）",
        "hidden": "隐藏层：每层神经元个数，用逗号分隔",
        "epochs": "训练轮数",
        "batch": "批大小",
        "lr": "学习率",
        "optimizer": "优化器",
        "schedule": "学习率调度",
        "augment": "数据增强（平移、旋转、缩放、倾斜、扭曲、笔画粗细）",
        "seed_field": "随机种子",
        "device": "设备",
        "train": "开始训练",
        "stop": "停止",
        "loss_plot": "训练损失",
        "mistakes": "被分错的数字：先是 MNIST 测试集，然后是未参与训练的书写者的手写数字（真实 → 预测）",
        "use": "使用这个模型",
        "download": "下载",
        "save_name": "保存为（字母、数字、- 和 _）",
        "save": "保存",
        "saved_models": "已保存的模型",
        "saved_list": "已保存的检查点",
        "load": "使用所选模型",
        "upload_checkpoint": "…或上传 .safetensors 检查点",
        "reset": "恢复自带模型",
        "explore_intro": "看看网络内部：针对你的手写和正在使用的模型。在这里或 **写数字** 页书写：隐藏层和分数会随着书写实时变化。"
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
        "model_drawn_accuracy": "，从未见过的书写者的手写数字准确率 {accuracy}",
        "progress": "第 {epoch}/{epochs} 轮 · 第 {step}/{steps} 步 · 每秒 {rate} 个样本 · 剩余 {left}",
        "epoch_accuracy": "· MNIST 测试 {accuracy}",
        "epoch_drawn_accuracy": "· 手写 {accuracy}",
        "loading": "正在加载 MNIST…",
        "stopped": "已停止：之前的模型仍在使用。",
        "finished": "完成。",
        "summary": "**测试准确率 {accuracy}**：训练 {epochs} 轮，用时 {seconds} 秒，设备 {device}（每秒 {rate} 个样本）。"
                   "按 *使用这个模型* 即可用它识别你写的数字。",
        "summary_drawn": "在从未见过的书写者的手写数字上：**{accuracy}**。",
        "saved_as": "已保存为 `{name}`，仅限本次会话：按下载可以长期保留。",
        "name_taken": "{name} 是服务器为所有人提供的模型的名字：请换一个名字。",
        "quota_count": "你已经保存了 {count} 个模型，达到了服务器为每位访客保留的上限：请用其中一个名字覆盖保存，或下载想保留的模型。",
        "quota_bytes": "你保存的模型将超过 {mb} MB，达到了服务器为每位访客保留的上限：请覆盖其中一个，或下载想保留的模型。",
        "budget": "这次训练在这里大约需要 {estimate}，而服务器每次训练最多允许 {limit}。按现在的设置，最多可以训练 {epochs} 轮；"
                  "更大的批、更小的网络或关闭数据增强都会更快。",
        "budget_none": "这次训练在这里大约需要 {estimate}，而服务器每次训练最多允许 {limit}；仅一轮就需要 {epoch}。"
                       "更大的批、更小的网络或关闭数据增强都会更快。",
        "time_limit": "已停止：训练达到了服务器的时间上限 {limit}。之前的模型仍在使用。",
        "mistake": "MNIST：真实 {true} → 预测 {predicted}",
        "mistake_drawn": "手写：真实 {true} → 预测 {predicted}",
        "preset_seed": "原教程的方案（seed）",
        "preset_fast": "快速（fast）",
        "preset_best": "最佳：自带模型的方案（best）",
        "drawn": "每轮中手写数字所占比例（0 = 只用 MNIST）",
        "label_smoothing": "标签平滑（0 = 原教程的 NLL 损失）",
        "pace": "速度：每秒步数（0 = 全速）",
        "step": "单步",
        "clear_runs": "清空图表",
        "mnist_plot": "MNIST 测试集准确率",
        "drawn_plot": "未参与训练的书写者的手写数字准确率",
        "per_digit": "各数字的准确率（%）",
        "per_digit_mnist": "MNIST 测试集",
        "per_digit_drawn": "手写数字（未参与训练的书写者）",
        "no_drawn": "不含手写数字",
        "continued_run": "接在 {steps} 次单步之后",
        "step_title": "一步：本次训练到目前为止共 {steps} 步（批大小 {batch}，学习率 {lr}）",
        "step_loss": "这一批数据的损失：更新前 {before}，更新后 {after}。",
        "step_gradients": "每一层梯度的长度（反向传播算出的结果）",
        "step_change": "这一步如何改变了第一层的权重（每个神经元一张 28 × 28 小图；红色变大，蓝色变小）",
        "step_before": "这一批图像，以及更新前网络的猜测",
        "step_after": "……以及更新后的猜测",
        "step_guess": "真实 {label}，猜测 {guess}",
        "step_lesson_title": "课程：优化器的一步，以及为什么模型只认识它学过的数据",
        "step_lesson": STEP_LESSON_ZH,
        "no_run": "请先训练一个模型：本次会话还没有完成的训练。",
        "no_saved": "没有名为 {name} 的已保存检查点。",
        "no_upload": "请选择一个 .safetensors 检查点文件上传。",
        "layer": "第 {layer} 层：{units} 个神经元中有 {active} 个被激活",
        "curve_x": "训练轮数",
        "confusion": "混淆矩阵：行 = 真实数字，列 = 预测数字",
        "unit_detail": "神经元 {unit}：激活值 {activation}（在 {units} 个中排第 {rank}）。左：它的权重；右：权重 × 输入。",
    },
}


def text(key: str, lang: str = "en", **values) -> str:
    """The string `key` in `lang` (a browser language tag such as 'zh-CN' or 'en-US'; English for any
    other), with `values` filled in."""
    chosen = "zh-CN" if str(lang or "").lower().startswith("zh") else "en"
    return TEXTS[chosen][key].format(**values)


# --- the package's error messages (errors.py): one sentence each, {values} filled in -----------

ERRORS: dict[str, dict[str, str]] = {
    "en": {
        # pictures
        "not_a_picture": "the {what} must be a picture (numpy array, PIL image or sketch), got {type}",
        "bad_shape": "the {what} must be H x W, H x W x 3 or H x W x 4, got shape {shape}",
        "too_small": "the {what} is {width}x{height} px; it needs at least {min} px on each side",
        "too_large": "the {what} is {width}x{height} px; the largest accepted side is {max} px",
        "too_many_pixels": "the {what} is {width}x{height} px, {mp} megapixels; the largest accepted is {max} megapixels",
        "too_many_pixels_count": "the {what} has {mp} megapixels; the largest accepted is {max} megapixels",
        "int_range": "integer {what} values must lie in 0..{top}, got {low}..{high}",
        "not_finite": "the {what} contains NaN or infinite values",
        "float_range": "float {what} values must lie in [0, 1], got {low}..{high}",
        "pixel_type": "the {what} has unsupported pixel type {dtype}",
        "unreadable": "cannot read this file as an image ({reason})",
        "not_a_path": "expected the path of an image file, got {type}",
        "damaged": "the image file is damaged or truncated ({reason})",
        "sketch_keys": "a sketch value needs the keys background, layers and composite; missing {missing}",
        "sketch_layers_type": "a sketch's layers must be a list, got {type}",
        "sketch_layer_sizes": "sketch layers differ in size: {a} and {b}",
        "sketch_layers_count": "a sketch value has {count} layers; at most {max} are accepted",
        "drawing_not_png": "a drawing must be a PNG picture given as a data URL (data:image/png;base64,...)",
        "drawing_not_base64": "the drawing's data URL is not valid base64",
        # the network and its training
        "hidden_not_list": "hidden sizes must be a list of integers, got {got!r}",
        "hidden_layers": "the network needs {min} to {max} hidden layers, got {got}",
        "hidden_units": "each hidden layer needs {min} to {max} units, got {got!r}",
        "hidden_text": "hidden sizes must be whole numbers like 64,64,64, got {got!r}",
        "epochs_range": "epochs must be a whole number from 1 to {max}, got {got!r}",
        "batch_range": "batch size must be a whole number from 1 to {max}, got {got!r}",
        "lr_range": "learning rate must be a number above 0 and at most 10, got {got!r}",
        "optimizer_choice": "optimizer must be one of {choices}, got {got!r}",
        "momentum_range": "momentum must be a number in [0, 1), got {got!r}",
        "schedule_choice": "schedule must be one of {choices}, got {got!r}",
        "drawn_range": "the drawn-digit share must be a number from 0 to {max}, got {got!r}",
        "smoothing_range": "label smoothing must be a number from 0 to {max}, got {got!r}",
        "seed_range": "seed must be a whole number of at least 0, got {got!r}",
        "unknown_preset": "unknown preset {got!r}: choose one of {choices}",
        "unknown_settings": "unknown training setting(s): {names}",
        "data_device": "the data is on {data}, training was asked on {device}",
        "pace_range": "the pace must be a number of steps per second above 0, got {got!r}",
        "drawn_not_loaded": "training with drawn digits needs them loaded: see mnist_model.drawn.load_drawn",
        # checkpoints
        "ckpt_too_short": "{name} is not a safetensors checkpoint (only {size} bytes)",
        "ckpt_truncated": "{name} is not a safetensors checkpoint, or it is truncated",
        "ckpt_unreadable_header": "{name} is not a safetensors checkpoint (unreadable header)",
        "ckpt_foreign": "{name} is a safetensors file but not an mnist_model checkpoint",
        "ckpt_bad_metadata": "{name} has unreadable metadata",
        "ckpt_bad_accuracy": "{name} has an impossible {key} in its metadata: an accuracy is a number from 0 to 1",
        "ckpt_format": "{name} has format {found!r}, expected {expected!r}",
        "ckpt_invalid_network": "{name} describes an invalid network: {reason}",
        "ckpt_empty": "{name} is empty",
        "ckpt_too_big": "{name} is {mb} MB, larger than any mnist_model checkpoint",
        "ckpt_corrupt": "{name} is corrupt or truncated ({reason})",
        "ckpt_shapes": "{name} holds tensors that do not fit its network {network}",
        "ckpt_values": "{name} has non-finite or non-float32 values in {key}",
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
        "drawn_unreadable": "the pen-written digits cannot be read from {path} ({reason})",
        "device_unknown": "unknown device {name!r}: use auto, cpu, cuda, cuda:N or mps",
        "device_no_cuda": "device {name!r} was asked for, but this machine has no CUDA GPU",
        "device_cuda_count": "device {name!r} does not exist: this machine has {count} CUDA GPU(s)",
        "device_no_mps": "device {name!r} was asked for, but Apple MPS is not available here",
        "device_unsupported": "unsupported device {name!r}: use auto, cpu, cuda, cuda:N or mps",
        # what a picture error is about
        "what_image": "image",
        "what_sketch_layer": "sketch layer {index}",
        "what_sketch_composite": "sketch composite",
        "what_sketch_background": "sketch background",
    },
    "zh-CN": {
        "not_a_picture": "{what}必须是一张图片（numpy 数组、PIL 图像或草图），收到的是 {type}",
        "bad_shape": "{what}的形状必须是 H x W、H x W x 3 或 H x W x 4，收到的是 {shape}",
        "too_small": "{what}为 {width}x{height} 像素；每边至少需要 {min} 像素",
        "too_large": "{what}为 {width}x{height} 像素；最长边最多 {max} 像素",
        "too_many_pixels": "{what}为 {width}x{height} 像素，共 {mp} 百万像素；最多接受 {max} 百万像素",
        "too_many_pixels_count": "{what}有 {mp} 百万像素；最多接受 {max} 百万像素",
        "int_range": "整数{what}的像素值必须在 0..{top} 之间，收到的是 {low}..{high}",
        "not_finite": "{what}中含有 NaN 或无穷大",
        "float_range": "浮点{what}的像素值必须在 [0, 1] 之间，收到的是 {low}..{high}",
        "pixel_type": "{what}的像素类型 {dtype} 不受支持",
        "unreadable": "无法把这个文件当作图片读取（{reason}）",
        "not_a_path": "需要一个图片文件的路径，收到的是 {type}",
        "damaged": "图片文件已损坏或不完整（{reason}）",
        "sketch_keys": "草图的值需要 background、layers 和 composite 三个键；缺少 {missing}",
        "sketch_layers_type": "草图的 layers 必须是列表，收到的是 {type}",
        "sketch_layer_sizes": "草图各层大小不一致：{a} 和 {b}",
        "sketch_layers_count": "草图有 {count} 层；最多接受 {max} 层",
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
        "drawn_range": "手写数字的比例必须是 0 到 {max} 之间的数，收到的是 {got!r}",
        "smoothing_range": "标签平滑必须是 0 到 {max} 之间的数，收到的是 {got!r}",
        "seed_range": "随机种子必须是不小于 0 的整数，收到的是 {got!r}",
        "unknown_preset": "未知的预设 {got!r}：请从 {choices} 中选择",
        "unknown_settings": "未知的训练设置：{names}",
        "data_device": "数据在 {data} 上，训练却要求在 {device} 上进行",
        "pace_range": "速度必须是大于 0 的每秒步数，收到的是 {got!r}",
        "drawn_not_loaded": "用手写数字训练需要先加载它们：见 mnist_model.drawn.load_drawn",
        "ckpt_too_short": "{name} 不是 safetensors 检查点（只有 {size} 字节）",
        "ckpt_truncated": "{name} 不是 safetensors 检查点，或者它不完整",
        "ckpt_unreadable_header": "{name} 不是 safetensors 检查点（文件头无法读取）",
        "ckpt_foreign": "{name} 是 safetensors 文件，但不是 mnist_model 的检查点",
        "ckpt_bad_metadata": "{name} 的元数据无法读取",
        "ckpt_bad_accuracy": "{name} 的元数据中 {key} 不合理：准确率应是 0 到 1 之间的数",
        "ckpt_format": "{name} 的格式是 {found!r}，需要的是 {expected!r}",
        "ckpt_invalid_network": "{name} 描述的网络无效：{reason}",
        "ckpt_empty": "{name} 是空文件",
        "ckpt_too_big": "{name} 有 {mb} MB，比任何 mnist_model 检查点都大",
        "ckpt_corrupt": "{name} 已损坏或不完整（{reason}）",
        "ckpt_shapes": "{name} 中的张量与它的网络 {network} 不匹配",
        "ckpt_values": "{name} 的 {key} 中有非有限值或非 float32 的值",
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
        "drawn_unreadable": "无法从 {path} 读取手写数字（{reason}）",
        "device_unknown": "未知设备 {name!r}：请使用 auto、cpu、cuda、cuda:N 或 mps",
        "device_no_cuda": "要求使用设备 {name!r}，但这台机器没有 CUDA GPU",
        "device_cuda_count": "设备 {name!r} 不存在：这台机器有 {count} 个 CUDA GPU",
        "device_no_mps": "要求使用设备 {name!r}，但这里没有 Apple MPS",
        "device_unsupported": "不支持的设备 {name!r}：请使用 auto、cpu、cuda、cuda:N 或 mps",
        "what_image": "图像",
        "what_sketch_layer": "草图第 {index} 层",
        "what_sketch_composite": "草图合成图",
        "what_sketch_background": "草图背景",
    },
}


def error_text(key: str, lang: str = "en", /, **values) -> str:
    """An error's sentence in `lang`: its values filled in, a picture's `what` named in that
    language, and an error given as a value (a cause) worded in that language too."""
    chosen = "zh-CN" if str(lang or "").lower().startswith("zh") else "en"
    values = {k: v.message(chosen) if hasattr(v, "message") else v for k, v in values.items()}
    if "what" in values:
        values["what"] = ERRORS[chosen]["what_" + values["what"]].format(index=values.get("index"))
    return ERRORS[chosen][key].format(**values)
