"""Every word the page shows, in English and Simplified Chinese (the lesson this project grew from
is Chinese). The app hands TEXTS to Gradio's I18n, which follows the browser's language and lets the
visitor switch in the page's Settings; `text(key, lang)` serves the words made on the server. The
package's own error messages are mnist_model/messages.py's; the language is picked there, once.
"""

import gradio as gr

from mnist_model.checkpoint import read_metadata, shipped_models
from mnist_model.messages import LANGUAGES, language  # noqa: F401 (LANGUAGES: the languages TEXTS speaks)
from mnist_model.model import ACTIVATION_NAMES, network_text  # noqa: F401 (the page names networks so)

LESSON_EN = """
**How this network reads your digit, and how it learned to** (everything named here is on this page)

1. **Numbers in.** Your drawing becomes the small 28 × 28 picture of *what the network sees*: 784 numbers,
   0 where there is no ink and up to 1 where there is.
2. **Layer by layer.** Each unit of the first layer adds up those 784 numbers, each multiplied by a
   weight of its own (the *first-layer weights* pictures: red weights count ink as a reason for the
   unit to light up, blue ones as a reason against), then adds its **bias**, a number of its own that
   makes it easier or harder to switch on (Explore's *one neuron, live* shows the sum and lets you move
   the bias). Each later layer does the same with the layer before it.
3. **Off or on (ReLU).** A unit whose sum comes out below zero is switched off. In the *hidden
   layers* pictures the black squares are switched off for your drawing; only the lit ones pass
   anything on.
4. **Ten scores, then chances.** The last layer gives each digit a score. The bigger a score
   compared with the others, the bigger that digit's chance; the chances always add up to 100 %.
   That is *softmax*, and the bars show both.
5. **How wrong was it? (the loss)** While it learns, the network is shown digits whose answer is
   known. The loss is small when it gave the right digit a big chance, and large when it did not.
   The *Training loss* curve on the Train tab is the loss, on average, as learning goes on.
6. **Who is to blame? (backpropagation)** For every weight, the computer works out whether making
   it a little bigger would make the loss go up or down, and how much: the weight's *gradient*.
   The red and blue ink on *what the network sees* uses the same idea on your drawing.
7. **A small step.** Every weight is then nudged a little in the direction that lowers the loss
   (the *learning rate* says how little), and again for the next batch of digits. *Step* on the
   Train tab takes one such step and shows it. Train a network and move the slider under the
   first-layer weights: they begin as random noise and become detectors of strokes.
"""

LESSON_ZH = """
**这个网络怎样读懂你写的数字，又是怎样学会的**（这里提到的每样东西都在本页上）

1. **变成数字。** 你写的字变成 *网络看到的图像*：那张 28 × 28 的小图，784 个数，没有墨水的地方是 0，有墨水的地方最多是 1。
2. **一层接一层。** 第一层的每个神经元把这 784 个数加起来，每个数先乘上它自己的一个权重（*第一层权重* 的小图：
   红色的权重把墨水当成让它亮起来的理由，蓝色的当成反对的理由），再加上它的**偏置**：它自己的一个数，让它更容易或更难被激活
   （探索页的 *一个神经元，实时* 显示这个和，还能拖动偏置试试）。后面的每一层都对前一层做同样的事。
3. **关或开（ReLU）。** 加起来小于零的神经元会被关掉。在 *隐藏层* 的图里，黑色的格子就是这次被关掉的；只有亮着的才把信息往下传。
4. **十个分数，变成可能性。** 最后一层给每个数字一个分数。一个分数比别的越大，那个数字的可能性就越大；
   所有可能性加起来总是 100%。这就是 *softmax*，柱形图把两者都画出来了。
5. **错了多少？（损失）** 学习的时候，网络看到的是已知答案的数字。如果它给正确的数字很大的可能性，损失就小；否则损失就大。
   训练页上的 *训练损失* 曲线，就是学习过程中损失的平均值。
6. **该怪谁？（反向传播）** 对每一个权重，电脑都算出：把它稍微调大一点，损失会变大还是变小、变多少——这就是它的 *梯度*。
   *网络看到的图像* 上的红色和蓝色墨水，对你写的字用的是同样的想法。
7. **走一小步。** 然后每个权重都朝着让损失变小的方向轻轻挪一点（挪多少由 *学习率* 决定），下一批数字再挪一次。
   训练页上的 *单步* 只做这样的一步，并把它展示出来。训练一个网络，再拖动第一层权重下面的滑块：它们一开始是杂乱的噪声，后来变成了笔画检测器。
"""

STEP_LESSON_EN = """
**One step of learning** (press *Step* and follow the panel below it)

1. *The batch*: fifteen training digits (the lesson's batch size), with what the network guesses for
   each before the step.
2. *The loss*: one number for how wrong those guesses are, all fifteen together.
3. *The gradients*: for every weight, which way it should move to lower the loss (backpropagation
   works this out); the bars show how much each layer would like to change.
4. *The step*: every weight moves a little that way. The picture shows how the first layer's weights
   moved, one tile per unit; below, the guesses after the step, and the loss on the same fifteen
   digits, which is now lower. Press *Step* again: the same network goes on learning. *Train* goes
   on from there.

**A network knows only what it learned from.** MNIST's digits were written on paper by American
census staff and students. People elsewhere write a 1 with a long up-stroke, cross their 7s,
slash their 0s. Train with the share of pen-written digits at 0 and the per-digit table shows the
network stumble on other writers' 1s, 0s and 4s while it scores 99% on MNIST; give the share 0.3 and
it learns them, with MNIST as good as before. The writers it is tested on never took part in
training: that is what *generalisation* means. On the *Teach* tab, your class can teach it your own
writing.
"""

STEP_LESSON_ZH = """
**学习的一步**（按下 *单步*，然后看下方的面板）

1. *这一批*：十五个训练用的数字（原教程的批大小），以及更新前网络对每个数字的猜测。
2. *损失*：一个数，表示这十五个猜测一共错了多少。
3. *梯度*：对每个权重，它该往哪个方向动才能让损失变小（这是反向传播算出来的）；柱形表示每一层想改变多少。
4. *这一步*：每个权重都往那个方向挪一点。图片显示第一层的权重怎样移动，每个神经元一张小图；下面是更新后的猜测，
   以及同样这十五个数字上的损失——现在变小了。再按 *单步*：同一个网络继续学习。*开始训练* 会从这里接着训练。

**网络只认识它学过的东西。** MNIST 的数字是美国人口普查局的职员和学生写在纸上的。别的地方的人写 1 时带一条长长的起笔，
7 中间加一横，0 上加一道斜线。把手写数字的比例设为 0 来训练，各数字准确率表会显示：网络在 MNIST 上有 99%，
却认不好别的书写者的 1、0 和 4；把比例设为 0.3，它就学会了，MNIST 上依然一样好。用来测试它的书写者从未参与训练：
这就是 *泛化* 的含义。在 *教它认字* 页，你们班可以教它认识你们自己的笔迹。
"""

GRADIENT_LESSON_EN = """
**Does the learning signal reach the first layer?** (the vanishing gradient)

Backpropagation passes the blame for a mistake backwards, from the last layer to the first. On its way
through each layer it is multiplied by the slope of the activation function. Sigmoid's slope is never
more than 0.25: through 8 sigmoid layers the signal shrinks to less than a millionth. ReLU's slope
is 1 wherever a unit is on, so the signal arrives about as strong as it left.

The plot *How much each layer learns* shows it during a run. For every layer, take the gradients of all
its weights and biases as one long arrow: the plot shows how long that arrow is (the square root of the
sum of their squares), measured on the real backward pass at every other point of the loss curve. The scale is
logarithmic: each grid line is 10 (or 100) times the one below it. Red is the first layer, blue the last,
and each line's layer is named at its end. The lines are smoothed: each point is the average of its
neighbours on the log scale, so the trend shows and the step-to-step jitter does not.

Try it, one run after the other (each takes under a minute): choose *lesson: 8 sigmoid layers* and press
*Train*; then *lesson: 8 ReLU layers* and *Train* again. The run before is on the left, the latest on
the right, both on the same scale. With sigmoid the first layer's gradient starts at less than a millionth of the last layer's:
the loss hardly moves at first, and after one epoch the network reads about 1 digit in 5. With ReLU the
layers' lines stay close together and it reads 9 in 10. A layer whose
gradient is tiny hardly changes: it stays as random as it began. That is why deep networks use ReLU.
*Step* draws the same lengths, one point per step.
"""

GRADIENT_LESSON_ZH = """
**学习的信号能传到第一层吗？**（梯度消失）

反向传播把“犯错的责任”从最后一层往回传，一直传到第一层。每经过一层，它都要乘上激活函数的斜率。sigmoid 的斜率最大
只有 0.25：经过 8 层 sigmoid，信号缩小到不到原来的百万分之一。ReLU 在神经元打开的地方斜率是 1，所以信号传到时和出发时差不多强。

*每一层学了多少* 这张图在训练时把它画出来。对每一层，把它所有权重和偏置的梯度看成一支长长的箭头：图上画的是这支箭头有多长
（它们的平方和再开平方），在损失曲线上每隔一个点，从真实的反向传播中测得。纵轴是对数刻度：每条格线是下面那条的 10（或 100）倍。
红色是第一层，蓝色是最后一层，每条线的末端写着它是哪一层。线是平滑过的：每个点是它附近几个点在对数刻度上的平均，
所以能看出趋势，而看不到每一步的抖动。

试一试，一个接一个地训练（每次都不到一分钟）：选 *课堂：8 层 sigmoid*，按 *开始训练*；再选 *课堂：8 层 ReLU*，再按
*开始训练*。前一次训练画在左边，最新一次画在右边，两边用同一个刻度。用 sigmoid 时，第一层的梯度一开始不到最后一层的百万分之一：
损失起初几乎不动，训练一轮后网络只认对大约五分之一的数字。用 ReLU 时，各层的线靠得很近，它能认对十分之九。梯度很小的层几乎不变：它一直像开始时一样是随机的。
这就是深层网络用 ReLU 的原因。*单步* 也画出同样的长度，每一步一个点。
"""

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        # the small CNN (issue 22)
        "short_architecture": "network",
        "field_architecture": "Network: the MLP (the lesson's, every pixel to every unit) or a small CNN (a "
                              "convolutional network: little 5 × 5 filters slid over the picture)",
        # the form's choices as the page names them (the values, mnist_model.config's, stay the API's;
        # the activation functions' names are ACTIVATION_NAMES, alike in both languages)
        "choice_architecture_mlp": "MLP",
        "choice_architecture_cnn": "small CNN",
        "choice_optimizer_adam": "Adam",
        "choice_optimizer_sgd": "SGD with momentum",
        "choice_schedule_constant": "constant",
        "choice_schedule_onecycle": "one-cycle (up, then down to almost 0)",
        "network_mlp": "MLP {shape}",
        "network_cnn": "small CNN {shape}",
        "network_eleventh": " (its 11th answer: \"not a digit\")",
        "feature_maps": "feature maps of convolution {layer}: {maps} maps of {side} × {side}, {active} of {cells} cells active",
        "maps_intro": "A CNN looks at the picture through small 5 × 5 filters. Each filter slides over the whole "
                      "drawing and makes one feature map: bright where it found its pattern (an edge, a corner, "
                      "a curve), black where it did not. The second convolution combines the first one's maps "
                      "into bigger patterns; then a normal layer and the ten scores decide.",
        "filters_active": "of the active model; a small CNN's are its first convolution's 5 × 5 filters, one per "
                          "feature map",
        "step_change_filters": "How the step moved the first convolution's 5 × 5 filters (one tile per filter; red up, "
                               "blue down)",
        "map_detail": "feature map {unit} of the first convolution. Left: its 5 × 5 filter (red adds, blue subtracts); "
                      "right: where in your drawing it finds that pattern.",
        "short_hidden": "hidden", "short_activation": "activation", "short_epochs": "epochs", "short_batch_size": "batch", "short_lr": "lr",
        "short_optimizer": "optimizer", "short_schedule": "schedule", "short_augment": "augmentation",
        "short_drawn": "pen-written", "short_label_smoothing": "smoothing", "short_seed": "seed",
        "short_not_a_digit": "not a digit",
        "preset_short_seed": "seed", "preset_short_fast": "fast", "preset_short_best": "best", "preset_short_cnn": "CNN",
        "on": "on", "off": "off",
        "device_cpu": "the processor (CPU)",
        "device_mps": "Apple's GPU (MPS)",
        "tab_teach": "Teach",
        "teach_intro": "Teach the network **your own** handwriting. Draw the digit asked for and press **Add**; "
                       "a class can do it together from their phones (**Start a class**). Then **Teach**: in a few "
                       "seconds the network learns your drawings, and you see how it reads the ones it did not "
                       "learn from, before and after.",
        "ask_digit": "Draw a {digit}",
        "ask_not_a_digit": "Draw something that is not a digit: a letter, a heart, a house",
        "digit_pick": "The digit you draw (✗: not a digit)",
        "add": "Add",
        "start_class": "Start a class",
        "join_code": "…or join a class: its code",
        "join": "Join",
        "teach": "Teach the network our writing",
        "publish": "Send to every student's pad",
        "end_class": "End the class",
        "end_class_ask": "End the class? Every drawing of it and the class's model are deleted from this server, "
                         "and the students' pads stop taking drawings. This cannot be undone.",
        "end_class_yes": "Yes, end the class",
        "end_class_no": "No, go on",
        "student_pick": "Student",
        "remove_student": "Remove, with their drawings",
        "keep_collection": "Keep this collection (for next year)",
        "export": "Export as a file",
        "import": "…or import one",
        "collection_title": "The collection, digit by digit, with the network's guess (red: wrong)",
        "collection_empty": "No drawings yet: draw the digit asked for and press Add.",
        "delete_drawing": "Delete this drawing",
        "wrong_count": "{count} read wrong by the network",
        "student_count": "You are student {number} of this class. Drawings added: {count}. Thank you!",
        "student_none": "You are student {number} of this class: draw the digit asked for, then press Add.",
        "counts_per_digit": "Drawings per digit ({total} in all)",
        "counts_per_student": "Students ({count}):",
        "class_code": "Class code:",
        "class_how": "Scan the code with a phone, or open the link, to draw digits for the class.",
        "class_loopback_only": "No phone can reach this server: it listens on this computer only. Stop it, start it "
                               "again with {command} and open this page again: the QR code will then carry this "
                               "computer's address on its network.",
        "class_no_network": "No phone can reach this server: this computer has no address on a network. Connect it "
                            "to the classroom's Wi-Fi, then open this page again.",
        "joined": "You joined class {code} as student {number}.",
        "added": "Added: a {digit}.",
        "added_not_a_digit": "Added: something that is not a digit.",
        "teach_left_out": "Drawings that are not a digit, left out: {count}. This network has ten answers, "
                          "all digits. Teach a network that has learned the answer \"not a digit\" to teach them.",
        "class_started": "Class {code} started: students join with the code or the QR code.",
        "class_ended": "The class ended: its drawings and model are gone from this server.",
        "taught": "Taught. The taught network is now the active model.",
        "teach_stopped": "Teaching stopped before it finished (Stop, or this server's time limit): nothing changed.",
        "published": "Sent: every student's pad uses the class's model now (version {version}).",
        "student_removed": "Student {number} and their drawings were removed.",
        "imported": "Drawings imported: {count}.",
        "class_model_arrived": "Your teacher sent the class's model: your pad uses it now.",
        "model_class": "**Active model:** your class's model (version {version}): {shape}{accuracy}.",
        "all_digits": "all",
        "taught_drawings": "drawings it did not learn from (%)",
        "before": "before",
        "after": "after",
        "taught_summary": "{seconds} s from Teach to done, {taught} drawings learned. On the drawings it never learned from ({held}): "
                          "{before} before, <b>{after}</b> after. On MNIST's test set: {mnist_before} before, "
                          "{mnist_after} after.",
        "now_right": "Read right now, wrong before: {count}",
        "now_wrong": "Read wrong now, right before: {count}",
        "pick_student": "Pick a student first.",
        "no_upload_collection": "Choose a collection file to import.",
        "lang_code": "en",
        "model_loading": "**Active model:** …",
        "error_title": "Error",
        "upload_no_length": "An upload must say its size (Content-Length).",
        "upload_rate": "Too many uploads from your address: at most {count} or {mb} MB a minute. Try again in a minute.",
        "upload_no_room": "This server has no room for more uploads right now. Try again later.",
        "not_uploaded": "Only a file uploaded to this server can be read here (upload it first; no links, no paths).",
        "malformed_call": "These values do not fit this endpoint (see /gradio_api/info for what it takes).",
        "queue_per_address": "Too many requests from your address at once (at most {count}): wait for the ones running.",
        "queue_per_session": "Too many requests from this session at once (at most {count}): wait for the ones running.",
        "waiting": "Waiting to train: number {place} in line, about {eta} to wait. Stop leaves the line.",
        "waiting_unknown": "Waiting to train: number {place} in line. Stop leaves the line.",
        "starting": "Starting: it is this run's turn.",
        "stopped_waiting": "Left the line before training: nothing changed.",
        "drawing": "Drawing the pen-written digits (once, then kept): {done} of {total}",
        "loading_drawn": "Loading the pen-written digits…",
        "drawing_not_digits": "Drawing letters and doodles, what is not a digit (once, then kept): {done} of {total}",
        "loading_not_digits": "Loading letters and doodles, what is not a digit…",
        "stopped_label": "(stopped)",
        "nothing_to_stop": "There is no run of yours to stop.",
        "stops_at_limit": "(it will be stopped at this server's limit of {limit} per run)",
        "stopping": "Stopping…",
        "step_origin_fresh": "Stepping a fresh, untrained network for the recipe above: its guesses are close to chance.",
        "step_origin_finished": "Stepping the network your last run trained, on from where it finished: it is "
                                "already sure of most digits, so one step changes little.",
        "step_origin_stopped": "Stepping the network of the run you stopped, on from where it stopped.",
        "or_maybe": "— or {digit}?",
        "not_a_digit": "That's not a digit",
        "or_not_a_digit": "— or not a digit?",
        "ten_only": "Ten answers only (what it says when it must pick a digit)",
        "axis_steps": "steps",
        "axis_epochs": "epochs",
        "axis_loss": "loss",
        "axis_accuracy": "accuracy",
        "plot_empty": "Press Train: the curves grow here.",
        "weights_unit": "Click a unit to see what it looks for in your drawing.",
        "weights_active": "of the active model",
        "weights_before": "of your last run, before training (random)",
        "weights_epoch_end": "of your last run, after epoch {epoch}",
        "weights_frames": "Your last run's first layer: before training, then at the end of its epochs",
        "more_settings": "More settings",
        "title": "# Draw a digit\nA small neural network guesses it as you draw (the line below says which one runs).",
        "page_title": "Draw a digit — a small neural network reads it",
        "tab_draw": "Draw",
        "tab_train": "Train",
        "tab_explore": "Explore",
        "clear": "Clear",
        "undo": "Undo",
        "fullscreen": "Full screen",
        "pad_hint": "Draw one digit here with the mouse, a finger or a pen",
        "early_pad": "Draw a digit here: the network is on its way and will answer it.",
        "early_pad_add": "The Add button comes with the page, in a moment.",
        "server_model": "This model is too big to run in the page: the server answers after each stroke.",
        "upload": "…or upload a photo of a digit written on paper",
        "probabilities": "Probability of each digit",
        "preview": "What the network sees: 28 × 28 pixels",
        "draw_prompt": "Draw a digit",
        "train_intro": "Change the network or the recipe, press **Train**, and watch it learn; each finished run stays "
                       "on the plots beside the next ones, so recipes can be compared. **Step** takes one optimiser "
                       "step and shows what it did. A pace slows a run down so that a class can watch it.",
        "preset": "Recipe (preset)",
        "field_hidden": "Hidden layers: units per layer, comma-separated",
        "field_activation": "Activation function between the layers (ReLU is the lesson's)",
        "field_epochs": "Epochs",
        "field_batch_size": "Batch size",
        "field_lr": "Learning rate",
        "field_optimizer": "Optimiser",
        "field_schedule": "Learning-rate schedule",
        "field_augment": "Augmentation (shifts, rotations, sizes, slants, warps, stroke widths)",
        "field_seed": "Random seed",
        "device": "Device",
        "train": "Train",
        "stop": "Stop",
        "loss_plot": "Training loss",
        "mistakes": "Misclassified digits: MNIST's test set, then pen-written digits of held-out writers (true → predicted)",
        "use": "Use this model",
        "download": "Download",
        "save_name": "Save as (letters, digits, - and _)",
        "save_name_example": "my-model",
        "shipped_choice_shipped": "the shipped MLP, the lesson's network (MNIST {mnist}, pen-written digits {drawn})",
        "shipped_choice_shipped_cnn": "the shipped small CNN, which can say \"not a digit\" (MNIST {mnist}, "
                                      "pen-written digits {drawn})",
        "save": "Save",
        "saved_models": "Saved models",
        "saved_list": "Saved checkpoints",
        "load": "Use selected",
        "upload_checkpoint": "…or upload a .safetensors checkpoint",
        "reset": "Back to the shipped model",
        "explore_intro": "Inside the network, for your drawing and the active model. Draw here or on the **Draw** tab: "
                         "the hidden layers and the scores change as you draw. Click a first-layer unit to see what it "
                         "contributes.",
        "lesson_title": "Lesson: how the network reads a digit, and how it learned to",
        "lesson": LESSON_EN,
        "inside_input": "What the network sees (28 × 28), and why it answered so: red ink made it surer of its answer; blue ink also looks like another digit and made it less sure",
        "hidden_layers": "Hidden layers: each cell is one unit's output after its activation function",
        # what a layer's cells mean, per activation function (the active model's)
        "cells_relu": "(black = zero: the unit's sum was zero or below, and ReLU switched it off)",
        "cells_leaky_relu": "(black = zero or below: leaky ReLU passes a sum below zero on at a hundredth of its "
                            "size, nearly off)",
        "cells_sigmoid": "(black = near 0, the brightest = the layer's largest output: the sigmoid switches no "
                         "unit off, it squeezes every sum between 0 and 1)",
        "cells_tanh": "(black = zero or below: tanh squeezes every sum between −1 and 1)",
        "scores": "Output scores before softmax",
        "softmax": "Probabilities after softmax",
        "weights": "First-layer weights (one 28 × 28 tile per unit; red positive, blue negative)",
        "unit": "Selected unit",
        "projector": "Projector mode (large text)",
        "language_hint": "Language: follows your browser; change it under Settings at the bottom of the page.",
        "model_shipped": "**Active model:** the shipped model: {shape}{accuracy}.",
        "model_yours": "**Active model:** your model (this session only): {shape}{accuracy}.",
        "model_accuracy": ", {accuracy} on the MNIST test set",
        "model_drawn_accuracy": ", {accuracy} on pen-written digits of writers it never saw",
        "progress": "epoch {epoch}/{epochs} · step {step}/{steps} · {rate} samples/s · {left} left",
        "epoch_accuracy": "· MNIST test {accuracy}",
        "loading": "Loading MNIST…",
        "stopped": "Stopped: the previous model stays active, and Step goes on from where the run stopped.",
        "finished": "Finished.",
        "summary": "**Test accuracy {accuracy}** after {epochs} epoch(s): {waited} s from Train to done, {seconds} s "
                   "of it training on {device} ({rate} samples/s). "
                   "Press *Use this model* to draw with it.",
        "summary_drawn": "On pen-written digits of writers it never saw: **{accuracy}**.",
        "saved_as": "Saved as `{name}`, for this session: press Download to keep it.",
        "time_limit": "Stopped: the run reached this server's time limit of {limit}. The previous model stays active.",
        "mistake": "MNIST: true {true} → predicted {predicted}",
        "mistake_drawn": "pen: true {true} → predicted {predicted}",
        "preset_seed": "the lesson's recipe (seed)",
        "preset_fast": "fast",
        "preset_best": "best: the shipped model's",
        "preset_cnn": "small CNN: the shipped CNN's",
        "field_drawn": "Share of pen-written digits in each epoch (0 = MNIST only)",
        "field_not_a_digit": "Share of letters and doodles in each epoch, learned as an 11th answer, \"not a digit\" "
                             "(0 = ten answers)",
        "field_label_smoothing": "Label smoothing (0 = the lesson's NLL loss)",
        "pace": "Pace: steps per second (0 = full speed)",
        "step": "Step",
        "clear_runs": "Clear the plots",
        "mnist_plot": "Accuracy on MNIST's test set",
        "drawn_plot": "Accuracy on pen-written digits of held-out writers",
        "per_digit": "Accuracy per digit (%)",
        "runs_caption": "The runs on the plots, side by side: where each ended",
        "runs_run": "run", "runs_mnist": "MNIST's test set", "runs_drawn": "pen-written digits of held-out writers",
        "runs_time": "time from Train to done", "seconds": "{seconds} s",
        "per_digit_mnist": "MNIST test",
        "per_digit_drawn": "pen-written, held-out writers",
        "no_drawn": "no drawn digits",
        "continued_run": "on from step {steps}",
        "step_title": "One step: {steps} so far in this run (batch of {batch}, learning rate {lr})",
        "step_batch_note": "Step shows the lesson's batch of {batch} digits, to see each one; the run itself "
                           "learned from batches of {run_batch}.",
        "step_loss": "Loss on this batch: {before} before the step, {after} after it.",
        "step_gradients": "Length of each layer's gradient: its weights' and biases' gradients together (what backpropagation computed)",
        "step_change": "How the step moved the first layer's weights (one 28 × 28 tile per unit; red up, blue down)",
        "step_before": "The batch, with the network's guess before the step",
        "step_after": "… and after it",
        "step_guess": "true {label}, guessed {guess}",
        "step_lesson_title": "Lesson: one step of learning, and why a network knows only what it learned from",
        "step_lesson": STEP_LESSON_EN,
        "no_run": "Train a model first: there is no finished run in this session.",
        "no_saved": "There is no saved checkpoint named {name}.",
        "no_upload": "Choose a .safetensors checkpoint file to upload.",
        "layer": "layer {layer}: {active} of {units} units active",
        "layer_leaky_relu": "layer {layer}: {active} of {units} units above zero",
        "layer_sigmoid": "layer {layer}: {active} of {units} units above one half",
        "layer_tanh": "layer {layer}: {active} of {units} units above zero",
        "confusion": "Confusion matrix: rows = true digit, columns = predicted",
        "unit_detail": "unit {unit}: activation {activation} (rank {rank} of {units}). Left: its weights; right: weights × input.",
        # --- a class on phones (issue 21): the end of a class, Gradio's own words, teaching's figures ---
        "class_over_student": "The class is over. Thank you for your drawings! Your pad is yours again, on the Draw tab.",
        "upload_drop": "Drop Image Here",
        "upload_drop_file": "Drop File Here",
        "upload_or": "- or -",
        "upload_click": "Click to Upload",
        # what Gradio announces to screen readers as an event waits and ends (announcements.js)
        "queue_position": "In queue: {position} of {size}",
        "event_done": "Done.",
        "held_count": "drawings",
        "was_now": "was {before}, now {after}",
        # Train goes on from a stepped or earlier run only when asked to (issue 21)
        "go_on": "Go on from where Step or your last run left off (instead of a fresh network)",
        "step_go_on": "To train on from here, tick “Go on …” and press Train. Without it, Train starts a fresh network.",
        # Explore: the selected unit's detail in the weights the gallery shows (issue 21)
        "unit_detail_frame": "unit {unit} {frame}. Left: its weights then; right: those weights × input.",
        # the gradient's flow (issue 22)
        "preset_deep_sigmoid": "lesson: 8 sigmoid layers",
        "preset_deep_relu": "lesson: 8 ReLU layers",
        "preset_short_deep_sigmoid": "8 sigmoid layers",
        "preset_short_deep_relu": "8 ReLU layers",
        "gradient_plot": "How much each layer learns: the length of its gradient (log scale, smoothed)",
        "step_gradient_plot": "Step by step: the length of each layer's gradient (log scale)",
        "step_gradient_empty": "Press Step: each step adds a point for every layer here.",
        "axis_gradient": "gradient length",
        "gradient_layer": "layer {layer}",
        "gradient_output": "layer {layer} (output)",
        "gradient_lesson_title": "Lesson: does the learning signal reach the first layer?",
        "gradient_lesson": GRADIENT_LESSON_EN,
        # the neuron and dead units (issue 22)
        "neuron_heading": "One neuron, live:",
        "neuron_title": "layer {layer}, unit {unit}",
        "neuron_weighted": "its inputs, each times its weight, added up (w · x)",
        "neuron_bias": "+ its bias (b), a number of its own",
        "neuron_whatif": "What if its bias were different? Move it (this view only: the network keeps its own)",
        "neuron_whatif_shift": "its own {bias} {sign} {shift}",
        "neuron_whatif_reset": "Its own bias again",
        "neuron_slope": "slope below 0: {slope}",
        "neuron_sum": "= its sum (z = w · x + b)",
        "neuron_output": "its output: the activation function of the sum, f(z)",
        "neuron_relu": "ReLU: a sum below 0 gives 0 (switched off); above 0 the sum passes on as it is.",
        "neuron_sigmoid": "Sigmoid: squeezes any sum into 0 … 1. Far from 0 the curve is flat, so a change "
                          "there hardly changes the output: the gradient is tiny (it vanishes).",
        "neuron_tanh": "tanh: squeezes any sum into −1 … 1, centred on 0. Far from 0 it is flat, like sigmoid.",
        "neuron_leaky_relu": "Leaky ReLU: like ReLU, but below 0 it still lets 0.01 × the sum through, so the "
                             "unit is never wholly off.",
        "neuron_hint": "Click any cell of a hidden layer (or a first-layer tile) to watch that unit. The dot is "
                       "where it sits on its activation function for your drawing; it moves as you draw.",
        "neuron_draw": "Draw a digit to see its numbers.",
        "neuron_none": "No model in the page yet.",
        "neuron_cnn": "The neuron view shows the units of an MLP, the lesson's network. A CNN's units are the cells of "
                      "its feature maps, shown above.",
        "neuron_server": "This model is too big to run in the page, so its neurons cannot be shown live.",
        "dead_badge": "dead",
        "dead_title": "Dead units: never switched on for any of MNIST's {images} test digits",
        "dead_layer": "layer {layer}: {count} of {units}",
        "dead_none": "layer {layer}: none of {units}",
        "dead_nowhere": "No dead units: every unit was switched on for at least one of MNIST's {images} test digits.",
        "dead_no_data": "Dead units are counted on MNIST's test digits, which this server does not have yet "
                        "(train a model once to fetch them).",
        "dead_means_relu": "For every one of those digits their sum was 0 or below, so their output was 0, and so "
                           "was their gradient: learning can no longer change them, and they pass nothing on (the "
                           "blue-grey cells in the layers). A learning rate too high makes many (try ReLU, Adam, "
                           "learning rate 0.01); leaky ReLU keeps them learning.",
        "dead_means_leaky_relu": "Leaky ReLU units cannot really die: these never got a sum above 0, but below 0 "
                                 "they still pass on 0.01 × the sum and their gradient is not 0, so they still "
                                 "learn (slowly) and can come back.",
        "dead_means_sigmoid": "Sigmoid units cannot die: their output is never exactly 0 and neither is their "
                              "gradient. These only never got a sum above 0 (their output stayed under 0.5).",
        "dead_means_tanh": "tanh units cannot die: their gradient is never exactly 0. These only never got a sum "
                           "above 0 (their output stayed below 0).",
        "layer_dead": " · {dead} dead (blue-grey)",
        "summary_dead_layer": "layer {layer}: {count} of {units}",
        "summary_dead_relu": "**Dead units** (their sum was never above 0 for any of the {images} test digits: "
                             "always off, and they no longer learn): {layers}.",
        "summary_dead_leaky_relu": "Units never switched on for any of the {images} test digits (with leaky ReLU "
                                   "they still learn, slowly): {layers}.",
        "summary_dead_sigmoid": "Sigmoid units cannot die. Units whose sum was never above 0 for any of the "
                                "{images} test digits: {layers}.",
        "summary_dead_tanh": "tanh units cannot die. Units whose sum was never above 0 for any of the {images} "
                             "test digits: {layers}.",
    },
    "zh-CN": {
        # 小型卷积网络（issue 22）
        "short_architecture": "网络",
        "field_architecture": "网络：MLP（课文里的，每个像素连到每个神经元）或小型 CNN（卷积网络：用 5 × 5 的小滤镜在图上滑动）",
        "choice_architecture_mlp": "MLP（多层感知机）",
        "choice_architecture_cnn": "小型 CNN（卷积网络）",
        "choice_optimizer_adam": "Adam 优化器",
        "choice_optimizer_sgd": "带动量的 SGD",
        "choice_schedule_constant": "固定",
        "choice_schedule_onecycle": "单周期（先升后降到接近 0）",
        "network_mlp": "多层感知机 {shape}",
        "network_cnn": "小型卷积网络 {shape}",
        "network_eleventh": "（第 11 个答案：“不是数字”）",
        "feature_maps": "第 {layer} 个卷积层的特征图：{maps} 张 {side} × {side} 的图，{cells} 个格子中有 {active} 个被激活",
        "maps_intro": "卷积网络通过 5 × 5 的小滤镜看图。每个滤镜在整幅图上滑动，得到一张特征图：找到它的图案（边、角、弯）的"
                      "地方亮，没找到的地方黑。第二个卷积层把第一层的特征图组合成更大的图案；最后由一个普通的层和十个分数来决定。",
        "filters_active": "（正在使用的模型；小型卷积网络的是第一个卷积层的 5 × 5 滤镜，每张特征图一个）",
        "step_change_filters": "这一步如何改变了第一个卷积层的 5 × 5 滤镜（每个滤镜一张小图；红色变大，蓝色变小）",
        "map_detail": "第一个卷积层的特征图 {unit}。左：它的 5 × 5 滤镜（红色加，蓝色减）；右：它在你的画里哪里找到了这个图案。",
        "short_hidden": "隐藏层", "short_activation": "激活函数", "short_epochs": "轮数", "short_batch_size": "批", "short_lr": "学习率",
        "short_optimizer": "优化器", "short_schedule": "调度", "short_augment": "数据增强",
        "short_drawn": "手写比例", "short_label_smoothing": "标签平滑", "short_seed": "种子",
        "short_not_a_digit": "不是数字",
        "preset_short_seed": "原教程", "preset_short_fast": "快速", "preset_short_best": "最佳", "preset_short_cnn": "卷积网络",
        "on": "开", "off": "关",
        "device_cpu": "处理器（CPU）",
        "device_mps": "苹果 GPU（MPS）",
        "tab_teach": "教它认字",
        "teach_intro": "教网络认识**你们自己的**笔迹。按提示写出数字，再按**添加**；全班可以用手机一起来（**开始上课**）。"
                       "然后按**教它**：几秒钟内网络就学会你们的数字，你会看到它在没学过的那些数字上，教之前和教之后读得怎么样。",
        "ask_digit": "请写一个 {digit}",
        "ask_not_a_digit": "画一个不是数字的东西：字母、爱心、房子",
        "digit_pick": "你要写的数字（✗：不是数字）",
        "add": "添加",
        "start_class": "开始上课",
        "join_code": "…或加入一个班级：输入班级代码",
        "join": "加入",
        "teach": "教网络认识我们的笔迹",
        "publish": "发送到每个学生的写字板",
        "end_class": "结束课程",
        "end_class_ask": "要结束课程吗？这个班级的所有数字和班级的模型都会从服务器上删除，学生的写字板也不再收数字。"
                         "这一步无法撤销。",
        "end_class_yes": "是的，结束课程",
        "end_class_no": "不，继续上课",
        "student_pick": "学生",
        "remove_student": "移除（连同其数字）",
        "keep_collection": "保留这个收集（留给明年）",
        "export": "导出为文件",
        "import": "…或导入一个文件",
        "collection_title": "收集到的数字，按数字分组，并附上网络的猜测（红色：猜错）",
        "collection_empty": "还没有数字：按提示写一个数字，然后按添加。",
        "delete_drawing": "删除这个数字",
        "wrong_count": "网络读错了 {count} 个",
        "student_count": "你是这个班级的第 {number} 号学生：已添加 {count} 个数字。谢谢！",
        "student_none": "你是这个班级的第 {number} 号学生：写出提示的数字，再按「添加」。",
        "counts_per_digit": "共 {total} 个数字，按数字统计",
        "counts_per_student": "{count} 名学生：",
        "class_code": "班级代码：",
        "class_how": "用手机扫描二维码或打开链接，为班级写数字。",
        "class_loopback_only": "手机无法连接这台服务器：它只在这台电脑上监听。请停止它，用 {command} "
                               "重新启动，再重新打开这个页面：二维码就会带上这台电脑在网络上的地址。",
        "class_no_network": "手机无法连接这台服务器：这台电脑没有网络地址。请把它连上教室的无线网络，再重新打开这个页面。",
        "joined": "你以第 {number} 号学生的身份加入了班级 {code}。",
        "added": "已添加：一个 {digit}。",
        "added_not_a_digit": "已添加：一个不是数字的东西。",
        "teach_left_out": "有 {count} 个不是数字的画没有用上：这个网络只有十个答案，全是数字。"
                          "要教它们，请用学过“不是数字”这个答案的网络。",
        "class_started": "班级 {code} 开课了：学生用代码或二维码加入。",
        "class_ended": "课程已结束：它的数字和模型已从服务器上删除。",
        "taught": "教好了。教过的网络现在是正在使用的模型。",
        "teach_stopped": "教学在完成前停止了（按了停止，或到了服务器的时间上限）：什么都没有改变。",
        "published": "已发送：每个学生的写字板现在都使用班级的模型（第 {version} 版）。",
        "student_removed": "第 {number} 号学生和他的数字已被移除。",
        "imported": "已导入 {count} 个数字。",
        "class_model_arrived": "老师发来了班级的模型：你的写字板现在使用它。",
        "model_class": "**正在使用：** 你们班级的模型（第 {version} 版）：{shape}{accuracy}。",
        "all_digits": "全部",
        "taught_drawings": "它没学过的数字（%）",
        "before": "教之前",
        "after": "教之后",
        "taught_summary": "从按下教它到完成共 {seconds} 秒，学了 {taught} 个数字。在它从没学过的数字上（{held} 个）：教之前 {before}，"
                          "教之后 <b>{after}</b>。在 MNIST 测试集上：教之前 {mnist_before}，教之后 {mnist_after}。",
        "now_right": "现在读对、以前读错的：{count} 个",
        "now_wrong": "现在读错、以前读对的：{count} 个",
        "pick_student": "请先选择一名学生。",
        "no_upload_collection": "请选择要导入的收集文件。",
        "lang_code": "zh-CN",
        "model_loading": "**正在使用：** …",
        "error_title": "出错了",
        "upload_no_length": "上传必须注明大小（Content-Length）。",
        "upload_rate": "你的地址上传太频繁：每分钟最多 {count} 次或 {mb} MB。请一分钟后再试。",
        "upload_no_room": "服务器暂时没有空间接收更多上传。请稍后再试。",
        "not_uploaded": "这里只能读取上传到本服务器的文件（请先上传；不接受链接或路径）。",
        "malformed_call": "这些值与该接口不符（它需要什么，见 /gradio_api/info）。",
        "queue_per_address": "你的地址同时发出的请求太多（最多 {count} 个）：请等正在处理的完成。",
        "queue_per_session": "这个会话同时发出的请求太多（最多 {count} 个）：请等正在处理的完成。",
        "waiting": "等待训练：排在第 {place} 位，大约还要等 {eta}。按停止可离开队列。",
        "waiting_unknown": "等待训练：排在第 {place} 位。按停止可离开队列。",
        "starting": "开始：轮到这次训练了。",
        "stopped_waiting": "在开始训练前离开了队列：什么都没有改变。",
        "drawing": "正在绘制手写数字（只做一次，之后保留）：{done} / {total}",
        "loading_drawn": "正在加载手写数字…",
        "drawing_not_digits": "正在绘制字母和涂鸦，也就是“不是数字”的例子（只做一次，之后保留）：{done} / {total}",
        "loading_not_digits": "正在加载字母和涂鸦，也就是“不是数字”的例子…",
        "stopped_label": "（已停止）",
        "nothing_to_stop": "你没有正在进行的训练可以停止。",
        "stops_at_limit": "（到了服务器每次训练 {limit} 的上限时，它会被停止）",
        "stopping": "正在停止…",
        "step_origin_fresh": "单步更新一个按上面方案新建的、未训练的网络：它的猜测接近随机。",
        "step_origin_finished": "单步更新你上次训练好的网络，从它结束的地方继续：它对大多数数字已经很有把握，一步改变不大。",
        "step_origin_stopped": "单步更新你停止的那次训练的网络，从它停下的地方继续。",
        "or_maybe": "——还是 {digit}？",
        "not_a_digit": "这不是数字",
        "or_not_a_digit": "——还是不是数字？",
        "ten_only": "只用十个答案（它必须选一个数字时会怎么说）",
        "axis_steps": "步数",
        "axis_epochs": "轮数",
        "axis_loss": "损失",
        "axis_accuracy": "准确率",
        "plot_empty": "按下开始训练：曲线会在这里出现。",
        "weights_unit": "点击一个神经元，看它在你的书写中寻找什么。",
        "weights_active": "（正在使用的模型）",
        "weights_before": "（你上次的训练：训练之前，随机的）",
        "weights_epoch_end": "（你上次的训练：第 {epoch} 轮结束时）",
        "weights_frames": "你上次训练的第一层：训练之前，以及每轮结束时",
        "more_settings": "更多设置",
        "title": "# 手写数字识别\n一个小型神经网络会在你书写时实时猜出数字（下面一行写着正在运行的是哪一个）。",
        "page_title": "手写数字识别：一个小型神经网络实时认数字",
        "tab_draw": "写数字",
        "tab_train": "训练",
        "tab_explore": "探索网络",
        "clear": "清除",
        "undo": "撤销",
        "fullscreen": "全屏书写",
        "pad_hint": "用鼠标、手指或触控笔在这里写一个数字",
        "early_pad": "在这里写一个数字：神经网络正在加载，加载完就会回答。",
        "early_pad_add": "“添加”按钮马上随页面出现。",
        "server_model": "这个模型太大，无法在网页中运行：每写完一笔，由服务器给出答案。",
        "upload": "…或上传一张写在纸上的数字照片",
        "probabilities": "每个数字的概率",
        "preview": "网络看到的图像：28 × 28 像素",
        "draw_prompt": "请写一个数字",
        "train_intro": "修改网络或训练方案，按下 **开始训练**，看它如何学习；每次完成的训练都会留在图上，与之后的训练并排，"
                       "便于比较不同方案。**单步** 只做一次优化器更新，并展示它做了什么。设置速度可以让训练慢下来，方便全班观看。",
        "preset": "训练方案（预设）",
        "field_hidden": "隐藏层：每层神经元个数，用逗号分隔",
        "field_activation": "层与层之间的激活函数（课文用的是 ReLU）",
        "field_epochs": "训练轮数",
        "field_batch_size": "批大小",
        "field_lr": "学习率",
        "field_optimizer": "优化器",
        "field_schedule": "学习率调度",
        "field_augment": "数据增强（平移、旋转、缩放、倾斜、扭曲、笔画粗细）",
        "field_seed": "随机种子",
        "device": "设备",
        "train": "开始训练",
        "stop": "停止",
        "loss_plot": "训练损失",
        "mistakes": "被分错的数字：先是 MNIST 测试集，然后是未参与训练的书写者的手写数字（真实 → 预测）",
        "use": "使用这个模型",
        "download": "下载",
        "save_name": "保存为（字母、数字、- 和 _）",
        "save_name_example": "mnist-1",
        "shipped_choice_shipped": "自带的 MLP，课上讲的网络（MNIST {mnist}，手写数字 {drawn}）",
        "shipped_choice_shipped_cnn": "自带的小型 CNN，会说“不是数字”（MNIST {mnist}，手写数字 {drawn}）",
        "save": "保存",
        "saved_models": "已保存的模型",
        "saved_list": "已保存的检查点",
        "load": "使用所选模型",
        "upload_checkpoint": "…或上传 .safetensors 检查点",
        "reset": "恢复自带模型",
        "explore_intro": "看看网络内部：针对你的手写和正在使用的模型。在这里或 **写数字** 页书写：隐藏层和分数会随着书写实时变化。"
                         "点击第一层的某个神经元，看它贡献了什么。",
        "lesson_title": "课程：网络怎样读懂一个数字，又是怎样学会的",
        "lesson": LESSON_ZH,
        "inside_input": "网络看到的图像（28 × 28），以及它为什么这样回答：红色的墨水让它对答案更有把握；蓝色的墨水也像别的数字，让它没那么有把握",
        "hidden_layers": "隐藏层：每个格子是一个神经元经过激活函数后的输出",
        "cells_relu": "（黑色 = 零：这个神经元的加权和为零或负数，被 ReLU 关掉了）",
        "cells_leaky_relu": "（黑色 = 零或负数：Leaky ReLU 把小于零的和缩小到百分之一再传下去，几乎关掉）",
        "cells_sigmoid": "（黑色 = 接近 0，最亮 = 这一层最大的输出：sigmoid 不会关掉任何神经元，它把每个和压到 0 和 1 之间）",
        "cells_tanh": "（黑色 = 零或负数：tanh 把每个和压到 −1 和 1 之间）",
        "scores": "Softmax 之前的输出分数",
        "softmax": "Softmax 之后的概率",
        "weights": "第一层权重（每个神经元一张 28 × 28 小图；红为正，蓝为负）",
        "unit": "选中的神经元",
        "projector": "投影模式（大字体）",
        "language_hint": "语言：跟随浏览器设置；可在页面底部的 Settings（设置）中切换。",
        "model_shipped": "**正在使用：** 自带模型：{shape}{accuracy}。",
        "model_yours": "**正在使用：** 你的模型（仅本次会话）：{shape}{accuracy}。",
        "model_accuracy": "，MNIST 测试集准确率 {accuracy}",
        "model_drawn_accuracy": "，从未见过的书写者的手写数字准确率 {accuracy}",
        "progress": "第 {epoch}/{epochs} 轮 · 第 {step}/{steps} 步 · 每秒 {rate} 个样本 · 剩余 {left}",
        "epoch_accuracy": "· MNIST 测试 {accuracy}",
        "loading": "正在加载 MNIST…",
        "stopped": "已停止：之前的模型仍在使用；单步会从训练停下的地方继续。",
        "finished": "完成。",
        "summary": "**测试准确率 {accuracy}**：训练 {epochs} 轮，从按下开始训练到完成共 {waited} 秒，其中训练 {seconds} 秒，"
                   "设备 {device}（每秒 {rate} 个样本）。"
                   "按 *使用这个模型* 即可用它识别你写的数字。",
        "summary_drawn": "在从未见过的书写者的手写数字上：**{accuracy}**。",
        "saved_as": "已保存为 `{name}`，仅限本次会话：按下载可以长期保留。",
        "time_limit": "已停止：训练达到了服务器的时间上限 {limit}。之前的模型仍在使用。",
        "mistake": "MNIST：真实 {true} → 预测 {predicted}",
        "mistake_drawn": "手写：真实 {true} → 预测 {predicted}",
        "preset_seed": "原教程的方案（seed）",
        "preset_fast": "快速（fast）",
        "preset_best": "最佳：自带模型的方案（best）",
        "preset_cnn": "小型卷积网络：自带卷积网络的方案（cnn）",
        "field_drawn": "每轮中手写数字所占比例（0 = 只用 MNIST）",
        "field_not_a_digit": "每轮中字母和涂鸦所占比例，学成第 11 个答案“不是数字”（0 = 十个答案）",
        "field_label_smoothing": "标签平滑（0 = 原教程的 NLL 损失）",
        "pace": "速度：每秒步数（0 = 全速）",
        "step": "单步",
        "clear_runs": "清空图表",
        "mnist_plot": "MNIST 测试集准确率",
        "drawn_plot": "未参与训练的书写者的手写数字准确率",
        "per_digit": "各数字的准确率（%）",
        "runs_caption": "图上的各次训练并排比较：每次最后的结果",
        "runs_run": "训练", "runs_mnist": "MNIST 测试集", "runs_drawn": "没学过的人手写的数字",
        "runs_time": "从开始训练到完成", "seconds": "{seconds} 秒",
        "per_digit_mnist": "MNIST 测试集",
        "per_digit_drawn": "手写数字（未参与训练的书写者）",
        "no_drawn": "不含手写数字",
        "continued_run": "从第 {steps} 步接着训练",
        "step_title": "一步：本次训练到目前为止共 {steps} 步（批大小 {batch}，学习率 {lr}）",
        "step_batch_note": "单步用课文里 {batch} 个数字的一批，好让你看清每一个；这次训练本身每批用的是 {run_batch} 个。",
        "step_loss": "这一批数据的损失：更新前 {before}，更新后 {after}。",
        "step_gradients": "每一层梯度的长度：它的权重和偏置的梯度合在一起（反向传播算出的结果）",
        "step_change": "这一步如何改变了第一层的权重（每个神经元一张 28 × 28 小图；红色变大，蓝色变小）",
        "step_before": "这一批图像，以及更新前网络的猜测",
        "step_after": "……以及更新后的猜测",
        "step_guess": "真实 {label}，猜测 {guess}",
        "step_lesson_title": "课程：学习的一步，以及为什么网络只认识它学过的东西",
        "step_lesson": STEP_LESSON_ZH,
        "no_run": "请先训练一个模型：本次会话还没有完成的训练。",
        "no_saved": "没有名为 {name} 的已保存检查点。",
        "no_upload": "请选择一个 .safetensors 检查点文件上传。",
        "layer": "第 {layer} 层：{units} 个神经元中有 {active} 个被激活",
        "layer_leaky_relu": "第 {layer} 层：{units} 个神经元中有 {active} 个大于零",
        "layer_sigmoid": "第 {layer} 层：{units} 个神经元中有 {active} 个大于二分之一",
        "layer_tanh": "第 {layer} 层：{units} 个神经元中有 {active} 个大于零",
        "confusion": "混淆矩阵：行 = 真实数字，列 = 预测数字",
        "unit_detail": "神经元 {unit}：激活值 {activation}（在 {units} 个中排第 {rank}）。左：它的权重；右：权重 × 输入。",
        # --- a class on phones (issue 21): the end of a class, Gradio's own words, teaching's figures ---
        "class_over_student": "课程结束了。谢谢你写的数字！写字板又归你自己用了，在「写数字」页。",
        "upload_drop": "将图像拖放到此处",
        "upload_drop_file": "将文件拖放到此处",
        "upload_or": "- 或 -",
        "upload_click": "点击上传",
        # Gradio 在事件排队和结束时读给读屏软件听的话（announcements.js）
        "queue_position": "排队中：第 {position} 位，共 {size} 位",
        "event_done": "完成。",
        "held_count": "数字个数",
        "was_now": "以前是 {before}，现在是 {after}",
        # 只有勾选时，开始训练才接着单步或上次的训练继续（issue 21）
        "go_on": "接着单步或上次训练停下的地方继续（不用新网络）",
        "step_go_on": "想从这里接着训练：勾选“接着……继续”，再按开始训练。不勾选的话，开始训练会用一个新网络。",
        # 探索网络：选中的神经元，按图库显示的那组权重来讲（issue 21）
        "unit_detail_frame": "神经元 {unit}{frame}。左：它当时的权重；右：这些权重 × 输入。",
        # the gradient's flow (issue 22)
        "preset_deep_sigmoid": "课堂：8 层 sigmoid",
        "preset_deep_relu": "课堂：8 层 ReLU",
        "preset_short_deep_sigmoid": "8 层 sigmoid",
        "preset_short_deep_relu": "8 层 ReLU",
        "gradient_plot": "每一层学了多少：它的梯度的长度（对数刻度，平滑后）",
        "step_gradient_plot": "一步一步：每一层梯度的长度（对数刻度）",
        "step_gradient_empty": "按下单步：每一步都在这里为每一层添上一个点。",
        "axis_gradient": "梯度长度",
        "gradient_layer": "第 {layer} 层",
        "gradient_output": "第 {layer} 层（输出层）",
        "gradient_lesson_title": "课堂：学习的信号能传到第一层吗？",
        "gradient_lesson": GRADIENT_LESSON_ZH,
        # the neuron and dead units (issue 22)
        "neuron_heading": "一个神经元，实时：",
        "neuron_title": "第 {layer} 层，神经元 {unit}",
        "neuron_weighted": "它的每个输入乘上各自的权重，再加起来（w · x）",
        "neuron_bias": "+ 它的偏置（b），它自己的一个数",
        "neuron_whatif": "如果它的偏置不一样呢？拖动试试（只改这个视图，网络保留它自己的偏置）",
        "neuron_whatif_shift": "它自己的 {bias} {sign} {shift}",
        "neuron_whatif_reset": "用回它自己的偏置",
        "neuron_slope": "0 以下的斜率：{slope}",
        "neuron_sum": "= 它的总和（z = w · x + b）",
        "neuron_output": "它的输出：总和经过激活函数，f(z)",
        "neuron_relu": "ReLU：总和小于 0 就输出 0（被关掉）；大于 0 就原样传下去。",
        "neuron_sigmoid": "Sigmoid：把任何总和压到 0 到 1 之间。离 0 远的地方曲线是平的，那里总和变了输出也几乎不变："
                          "梯度很小（它消失了）。",
        "neuron_tanh": "tanh：把任何总和压到 −1 到 1 之间，以 0 为中心。离 0 远的地方也是平的，和 sigmoid 一样。",
        "neuron_leaky_relu": "Leaky ReLU：和 ReLU 一样，但小于 0 时仍然让 0.01 × 总和通过，所以这个神经元从不完全关掉。",
        "neuron_hint": "点击隐藏层里的任意一个格子（或第一层权重的一张小图），就能看那个神经元。圆点是它在你的书写下"
                       "落在激活函数曲线上的位置；你一边写它一边动。",
        "neuron_draw": "写一个数字，就能看到它的数。",
        "neuron_none": "页面里还没有模型。",
        "neuron_cnn": "神经元视图显示的是多层感知机（课文里的网络）的神经元。卷积网络的神经元是上面特征图里的格子。",
        "neuron_server": "这个模型太大，不能在页面里运行，所以无法实时显示它的神经元。",
        "dead_badge": "死了",
        "dead_title": "死神经元：在 MNIST 的 {images} 个测试数字上一次也没有被激活",
        "dead_layer": "第 {layer} 层：{units} 个中有 {count} 个",
        "dead_none": "第 {layer} 层：{units} 个中一个也没有",
        "dead_nowhere": "没有死神经元：每个神经元在 MNIST 的 {images} 个测试数字中至少被激活过一次。",
        "dead_no_data": "死神经元是在 MNIST 的测试数字上数出来的，而这台服务器还没有这些数据（训练一次模型就会下载）。",
        "dead_means_relu": "对这些数字中的每一个，它们的总和都是 0 或更小，所以输出是 0，梯度也是 0：学习再也改变不了它们，"
                           "它们也什么都不往下传（就是各层里蓝灰色的格子）。学习率太大会造成很多死神经元（试试 ReLU、Adam、"
                           "学习率 0.01）；Leaky ReLU 能让它们继续学习。",
        "dead_means_leaky_relu": "Leaky ReLU 的神经元其实死不了：这些神经元的总和从没大于 0，但小于 0 时它们仍然传出 0.01 × 总和，"
                                 "梯度也不是 0，所以它们还在（慢慢地）学习，还能活过来。",
        "dead_means_sigmoid": "Sigmoid 神经元不会死：它们的输出从不正好是 0，梯度也不是。这些只是总和从没大于 0（输出一直小于 0.5）。",
        "dead_means_tanh": "tanh 神经元不会死：它们的梯度从不正好是 0。这些只是总和从没大于 0（输出一直小于 0）。",
        "layer_dead": " · {dead} 个死了（蓝灰色）",
        "summary_dead_layer": "第 {layer} 层：{units} 个中有 {count} 个",
        "summary_dead_relu": "**死神经元**（在 {images} 个测试数字上，总和从没大于 0：一直关着，也不再学习）：{layers}。",
        "summary_dead_leaky_relu": "在 {images} 个测试数字上一次也没有被激活的神经元（用 Leaky ReLU，它们仍在慢慢学习）：{layers}。",
        "summary_dead_sigmoid": "Sigmoid 神经元不会死。在 {images} 个测试数字上总和从没大于 0 的神经元：{layers}。",
        "summary_dead_tanh": "tanh 神经元不会死。在 {images} 个测试数字上总和从没大于 0 的神经元：{layers}。",
    },
}


def text(key: str, lang: str = "en", **values) -> str:
    """The string `key` in `lang` (a browser language tag such as 'zh-CN' or 'en-US'; English for any
    other), with `values` filled in."""
    return TEXTS[language(lang)][key].format(**values)


def _with_shipped_figures() -> None:
    """The shipped models' names in the picker get their figures, read once from their files."""
    for name, path in shipped_models().items():
        meta = read_metadata(path.read_bytes(), name)
        figures = {key: "–" if meta.get(key) is None else f"{meta[key]:.2%}" for key in ("test_accuracy", "drawn_accuracy")}
        key = f"shipped_choice_{name.replace('-', '_')}"  # (page.model_choices's)
        for words in TEXTS.values():
            words[key] = words[key].format(mnist=figures["test_accuracy"], drawn=figures["drawn_accuracy"])


_with_shipped_figures()
I18N = gr.I18n(**TEXTS)  # what Gradio translates on the page itself
