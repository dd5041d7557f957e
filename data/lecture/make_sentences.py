"""Writes sentences.txt: RNN Lab's own toy corpus (CC0) for the step-through widget's trained models.

The sentences are the lecture's examples and close variants, repeated so that the continuations have
lecture-like frequencies ("the students opened their" -> books far more often than exams). It is tiny
on purpose: a model trained on it makes sensible predictions on exactly these sentences, which is
what stepping through "the students opened their ___" in class needs.
"""
import random

random.seed(7)
E = [("the students opened their books", 8), ("the students opened their exams", 2), ("the students opened their laptops", 3),
     ("the students opened their notebooks", 2), ("the teacher opened the door", 3), ("the students closed their books", 2),
     ("the teacher opened their eyes", 1), ("the students read their books", 3), ("the students wrote their exams", 2),
     ("the teacher wrote on the board", 2), ("the students listened to the teacher", 2), ("the teacher asked the students a question", 2),
     ("the students answered the question", 2), ("the class starts at nine", 2), ("the students were late for class", 3),
     ("the teacher was not late", 1), ("students study math in the morning", 2), ("i study math", 3), ("i study deep learning", 2),
     ("i like deep learning", 3), ("i like nlp", 2), ("i enjoy flying", 2), ("the cat sat on the mat", 2), ("the dog sat on the floor", 1),
     ("the students opened the window", 1), ("hello world", 2), ("hello hello", 1)]
K = [("오늘 수업이 1교시인데 늦잠을 자서 수업에 늦었다", 4), ("오늘 수업이 1교시인데 늦잠을 자서 수업에 지각했다", 2),
     ("오늘 수업이 1교시인데 늦잠을 자서 수업에 못 갔다", 1), ("학생들이 책을 펼쳤다", 4), ("학생들이 시험지를 펼쳤다", 1),
     ("학생들이 노트북을 펼쳤다", 2), ("선생님이 문을 열었다", 2), ("선생님이 질문을 했다", 2), ("학생들이 질문에 대답했다", 2),
     ("나는 수학을 공부한다", 3), ("나는 딥러닝을 좋아한다", 3), ("나는 자연어 처리를 좋아한다", 2), ("수업은 아홉 시에 시작한다", 2),
     ("개와 고양이는 동물이다", 1), ("강아지는 개의 새끼이다", 1), ("선생님과 학생이 교실에 있다", 2)]
lines = []
for s, n in E + K:
    lines += [s] * n
random.shuffle(lines)
open("sentences.txt", "w").write("\n".join(lines) + "\n")
