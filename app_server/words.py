"""The server's refusals in words, in each language the page speaks: one sentence a visitor can act on
(the page gives it a capital letter and shows it, at its error boundary)."""

from mnist_model.messages import worded

REFUSALS: dict[str, dict[str, str]] = {
    "en": {
        "busy_memory": "this server is training as many networks as its memory allows: try again in a minute, "
                       "or with a smaller network",
        "class_ambiguous": "You are in {count} classes: join the one you mean with its code.",
        "class_blank": "this drawing is blank: draw something first",
        "class_join_rate": "Too many tries at joining a class: wait a few minutes, and check the code with your teacher.",
        "class_model_too_big": "this model is too big to run on students' phones: teach the tutorial's network instead",
        "class_rate": "slow down a little: a few drawings a second at most",
        "class_start_rate": "This session has started {count} classes or collections this hour, as many as it may.",
        "disk_full": "this server has no room on its disk for that right now: try again later, or download "
                     "what you want to keep",
        "name_taken": "{name} is the name of a model this server offers everyone: choose another name.",
        "quota_bytes": "Your saved models would take more than {mb} MB, as much as this server keeps for one "
                       "visitor: save over one of them, or download the ones you want to keep.",
        "quota_count": "You have saved {count} models, as many as this server keeps for one visitor: save over one "
                       "of their names, or download the ones you want to keep.",
        "session_expired": "your session expired and its models were cleared from this server: reload the page "
                           "(the shipped model is active again)",
        "go_on_nothing": "There is no network to go on from yet: press Step or train a run first, or untick “Go on”.",
        "go_on_shape": "The network to go on from is {have}; the form asks for {want}. "
                       "Set the network, hidden layers, activation and not-a-digit share (0 for ten answers) "
                       "to match it, or untick “Go on”.",
        "step_while_training": "Your run is training: press Stop first, and Step goes on from where it stopped.",
        "step_too_big": "Step keeps the network it steps on this server: this one would take {need} MB, and Step may "
                        "keep {limit} MB. Train it instead, or step a smaller network.",
        "class_no_identity": "this request carries no identity: open the page again",
        "class_unknown": "there is no class with the code {code!r}: check the code, or ask your teacher for the link",
        "class_over": "the class {code} is over: ask your teacher for a new one",
        "class_limit": "this server has {count} classes going already, as many as it keeps: try again later",
        "class_full": "this class has {count} students already, as many as a class can have",
        "class_not_member": "you are not in this class: join it with its code first",
        "class_teacher_only": "only the class's teacher can do that",
        "class_none": "you are in no class: start one, or join one with its code",
        "class_bad_input": "a drawing must be a 28 x 28 picture with values from 0 to 1",
        "class_bad_strokes": "a drawing's strokes must be lists of [x, y] points, at most 2000 of them",
        "class_bad_digit": "the digit must be a whole number from 0 to 9, or 10 for not a digit, got {got!r}",
        "class_student_limit": "you have added {count} drawings, as many as one student may: thank you!",
        "class_limit_drawings": "this collection has {count} drawings, as many as it can hold",
        "class_bad_file": "this file is not a collection exported from this app, or it is damaged",
        "class_bad_drawing": "a drawing is named by its number (its id), got {got!r}",
        "class_bad_student": "a student is named by their number, got {got!r}",
        "class_limit_own": "this server keeps {count} personal collections already, as many as it can: try again later",
        "class_store_full": "this server has no room for more drawings right now: try again later",
        "class_no_drawing": "there is no drawing {got!r} in this collection",
        "class_no_student": "there is no student {got!r} in this class",
        "class_removed": "the teacher removed you from this class: ask them if you should join again",
        "class_limit_origin": "your address has {count} classes going already, as many as one address may: end one first",
        "class_limit_origin_own": "your address keeps {count} personal collections already, as many as one address may: try again later",
        "class_limit_points": "this collection's drawings have {count} points of strokes in all, as many as it can hold",
    },
    "zh-CN": {
        "busy_memory": "服务器正在训练的网络已占满内存：请一分钟后再试，或换一个更小的网络",
        "class_ambiguous": "你在 {count} 个班级里：请用代码加入你要去的那个。",
        "class_blank": "这幅画是空白的：请先画点什么",
        "class_join_rate": "加入班级的尝试太多：请等几分钟，并向老师核对代码。",
        "class_model_too_big": "这个模型太大，无法在学生的手机上运行：请教原教程的网络",
        "class_rate": "请慢一点：每秒最多几个数字",
        "class_start_rate": "这个会话在这一小时里已经开始了 {count} 个班级或收集，达到了上限。",
        "disk_full": "服务器的磁盘暂时没有空间了：请稍后再试，或先下载想保留的内容",
        "name_taken": "{name} 是服务器为所有人提供的模型的名字：请换一个名字。",
        "quota_bytes": "你保存的模型将超过 {mb} MB，达到了服务器为每位访客保留的上限：请覆盖其中一个，或下载想保留的模型。",
        "quota_count": "你已经保存了 {count} 个模型，达到了服务器为每位访客保留的上限：请用其中一个名字覆盖保存，或下载想保留的模型。",
        "session_expired": "你的会话已过期，其中的模型已从服务器清除：请刷新页面（已恢复使用自带模型）",
        "go_on_nothing": "还没有可以接着训练的网络：先按单步或训练一次，或者取消勾选“接着……继续”。",
        "go_on_shape": "要接着训练的网络是 {have}，表单里填的是 {want}。把网络、隐藏层、激活函数和“不是数字”的比例（十个答案时为 0）改成和它一样，或者取消勾选“接着……继续”。",
        "step_while_training": "你的训练还在进行：先按停止，单步就会从停下的地方继续。",
        "step_too_big": "单步会把它正在走的网络留在服务器上：这个网络要占 {need} MB，而单步最多只能留 {limit} MB。"
                        "请直接训练它，或者换一个更小的网络来单步。",
        "class_no_identity": "这个请求没有身份信息：请重新打开页面",
        "class_unknown": "没有代码为 {code!r} 的班级：请检查代码，或向老师要链接",
        "class_over": "班级 {code} 已经结束：请向老师要一个新的班级",
        "class_limit": "服务器上已经有 {count} 个班级，达到了上限：请稍后再试",
        "class_full": "这个班级已经有 {count} 名学生，达到了上限",
        "class_not_member": "你不在这个班级里：请先用代码加入",
        "class_teacher_only": "只有这个班级的老师可以这样做",
        "class_none": "你现在不在任何班级里：请开一个班，或用代码加入一个",
        "class_bad_input": "书写内容必须是 28 x 28 的图像，数值在 0 到 1 之间",
        "class_bad_strokes": "书写的笔画必须是由 [x, y] 点组成的列表，最多 2000 个点",
        "class_bad_digit": "数字必须是 0 到 9 之间的整数（10 表示不是数字），收到的是 {got!r}",
        "class_student_limit": "你已经添加了 {count} 个数字，达到了每位学生的上限：谢谢！",
        "class_limit_drawings": "这个收集已经有 {count} 个数字，达到了上限",
        "class_bad_file": "这个文件不是从本应用导出的收集，或者已经损坏",
        "class_bad_drawing": "要用编号（id）指定一个数字，收到的是 {got!r}",
        "class_bad_student": "要用编号指定一名学生，收到的是 {got!r}",
        "class_limit_own": "服务器上已经有 {count} 个个人收集，达到了上限：请稍后再试",
        "class_store_full": "服务器现在没有空间存放更多的数字：请稍后再试",
        "class_no_drawing": "这个收集里没有编号为 {got!r} 的数字",
        "class_no_student": "这个班级里没有 {got!r} 号学生",
        "class_removed": "老师已经把你移出了这个班级：请问老师是否应该重新加入",
        "class_limit_origin": "你的地址已经有 {count} 个班级在进行，达到了每个地址的上限：请先结束一个",
        "class_limit_origin_own": "你的地址已经有 {count} 个个人收集，达到了每个地址的上限：请稍后再试",
        "class_limit_points": "这个收集里数字的笔画一共已有 {count} 个点，达到了上限",
    },
}


def refusal_text(key: str, lang: str = "en", /, **values) -> str:
    """The refusal `key` in `lang` (a browser language tag; English for any but Chinese), its values
    filled in as mnist_model's errors fill theirs (a visitor's value cut short)."""
    return worded(REFUSALS, key, lang, **values)
