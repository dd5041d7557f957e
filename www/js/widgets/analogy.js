// Widget "analogy": word analogies b − a + c with real GloVe 6B vectors (loaded lazily with a
// progress bar, cached by the browser), 3CosAdd and 3CosMul, an "exclude the query words" toggle
// (on by default), the rank and cosine of the expected answer, the top-10 neighbours of a word,
// and the lecture's presets as 2-D PCA pictures. It says plainly when an analogy fails
// (company–CEO does with these vectors). All math and charts come from Rust (`AnalogyWidget`).

import { h, fmt } from '../ui/dom.js';
import { makeT } from '../i18n.js';
import { createShell, showFieldErrors } from '../ui/shell.js';
import { select, toggle, button } from '../ui/controls.js';
import { createChart } from '../ui/chart.js';
import { renderMath } from '../ui/math.js';
import { createProgress } from '../ui/progress.js';
import { block, table, textField } from '../nlp/fields.js';
import { fetchText, isAbort, runInFrames } from '../nlp/load.js';
import { vectorPanel, unknownWordMessage } from '../nlp/vector_ui.js';

/** Both languages, one table. */
export const strings = {
  ko: {
    title: '단어 유추와 임베딩 공간 (GloVe 6B)',
    preset: '강의 예제',
    custom: '직접 입력 (그림: a → b, c → 기대 답)',
    b: 'b',
    a: '− a',
    c: '+ c',
    expected: '기대하는 답',
    method: '방법',
    cosadd: '3CosAdd: cos(d,b) − cos(d,a) + cos(d,c)',
    cosmul: '3CosMul: cos′(d,b)·cos′(d,c) / (cos′(d,a)+ε)',
    exclude: '질의 단어 a, b, c 를 답에서 빼기 (기본: 켬)',
    restrict: '검색할 단어',
    all: '전체 5만 단어',
    top: '자주 쓰는 {n}개',
    query: '{b} − {a} + {c} ≈ ?',
    solved: '✓ 성공: 1위 답이 “{e}” 입니다 (코사인 {cos}).',
    fails: '✗ 이 유추는 실패합니다: 1위 답은 “{top}” 이고, “{e}” 은(는) {rank}위입니다 (코사인 {cos}).',
    excluded: '기대한 답 “{e}” 은(는) 질의 단어라서 답에서 빠졌습니다. 토글을 끄면 보입니다.',
    outside: '기대한 답 “{e}” 은(는) 검색한 단어 범위 밖에 있습니다.',
    noExpected: '1위 답: “{top}”.',
    excludedOn: '질의 단어 a, b, c 는 답에서 뺐습니다.',
    excludedOff: '질의 단어도 답이 될 수 있습니다 (토글이 꺼져 있음): b 나 c 자신이 1위가 되는 일이 많습니다.',
    rank: '순위',
    word: '단어 d',
    score: '점수',
    cosine: 'cos(d, b − a + c)',
    neighbours: '가장 가까운 10개 단어',
    neighbourWord: '단어',
    pcaTitle: '단어 쌍의 2차원 PCA 그림',
    pcaChart: '선택한 예제의 단어 쌍을 주성분 두 개로 그린 그림',
    pcaUnknown: '벡터에 없어 그림에서 뺀 단어: {words}',
    point: '단어 벡터 공간에서 “남자→여자”, “왕→여왕” 같은 관계는 비슷한 방향의 차이 벡터가 됩니다. 그래서 king − man + woman 에 가장 가까운 단어가 queen 입니다. 하지만 늘 그렇지는 않습니다: 이 벡터로 ballmer − microsoft + apple 은 jobs 가 아닙니다. 2차원 그림은 100차원을 눌러 놓은 것이라 화살표가 딱 평행하지는 않습니다.',
    bench: 'word2vec 유추 시험 전체로 정확도 재기 (questions-words.txt)',
    benchRun: '채점 시작 (R = 30,000, 3CosAdd)',
    benchProgress: '채점 중 {done} / {total}',
    benchResult: '정답 {c} / {n} = {pct}% (의미 {sc}/{sn}, 문법 {yc}/{yn}); 어휘 밖이라 건너뛴 질문 {skip}개',
    cancel: '취소',
    progress: '진행',
    waitVectors: '벡터를 기다리는 중…',
    emptyWord: '단어를 입력하세요.',
  },
  en: {
    title: 'Word analogies and the embedding space (GloVe 6B)',
    preset: 'Lecture example',
    custom: 'my own words (picture: a → b, c → expected)',
    b: 'b',
    a: '− a',
    c: '+ c',
    expected: 'Expected answer',
    method: 'Method',
    cosadd: '3CosAdd: cos(d,b) − cos(d,a) + cos(d,c)',
    cosmul: '3CosMul: cos′(d,b)·cos′(d,c) / (cos′(d,a)+ε)',
    exclude: 'Leave the query words a, b, c out of the answers (default: on)',
    restrict: 'Words searched',
    all: 'all 50,000 words',
    top: 'the {n} most frequent',
    query: '{b} − {a} + {c} ≈ ?',
    solved: '✓ Solved: the top answer is “{e}” (cosine {cos}).',
    fails: '✗ This analogy FAILS: the top answer is “{top}”; “{e}” is ranked {rank} (cosine {cos}).',
    excluded: 'The expected answer “{e}” is one of the query words, which are excluded; switch the toggle off to see it.',
    outside: 'The expected answer “{e}” is outside the words searched.',
    noExpected: 'Top answer: “{top}”.',
    excludedOn: 'The query words a, b, c are left out of the answers.',
    excludedOff: 'The query words may be answers (toggle off): b or c itself is often on top.',
    rank: 'rank',
    word: 'word d',
    score: 'score',
    cosine: 'cos(d, b − a + c)',
    neighbours: 'The 10 nearest words',
    neighbourWord: 'Word',
    pcaTitle: '2-D PCA picture of word pairs',
    pcaChart: 'The word pairs of the chosen example projected on two principal components',
    pcaUnknown: 'Left out of the picture (not in the vectors): {words}',
    point: 'In the vector space, relations like man→woman and king→queen become difference vectors pointing in similar directions, so the word nearest to king − man + woman is queen. Not always: with these vectors, ballmer − microsoft + apple is not jobs. The 2-D picture squeezes 100 dimensions, so the arrows are not exactly parallel.',
    bench: 'Score the whole word2vec analogy test (questions-words.txt)',
    benchRun: 'Start scoring (R = 30,000, 3CosAdd)',
    benchProgress: 'Scoring {done} / {total}',
    benchResult: '{c} / {n} correct = {pct}% (semantic {sc}/{sn}, syntactic {yc}/{yn}); {skip} questions skipped (out of vocabulary)',
    cancel: 'Cancel',
    progress: 'Progress',
    waitVectors: 'waiting for the vectors…',
    emptyWord: 'Type a word.',
  },
};

/** Names accepted in `hide`. */
export const controls = ['preset', 'a', 'b', 'c', 'expected', 'method', 'exclude', 'restrict', 'word', 'bench', 'vectors', 'math', 'copy', 'lang'];

/** Suggested iframe height (CSS px). */
export const embedHeight = 1700;

const TEX = String.raw`d^*=\arg\max_{d\notin\{a,b,c\}}\;\cos(d,b)-\cos(d,a)+\cos(d,c)=\arg\max_d \cos\bigl(d,\;\hat b-\hat a+\hat c\bigr)`;

/**
 * Mounts the widget in `root`.
 * @param {HTMLElement} root
 * @param {import('../embed.js').WidgetContext} ctx
 */
export async function mount(root, ctx) {
  const wasm = await ctx.wasm();
  const t = makeT(strings, ctx.lang.get);
  const parsed = wasm.AnalogyWidget.parseConfig(ctx.pairs);
  const widget = new wasm.AnalogyWidget({ ...parsed.config, lang: ctx.lang.get() });
  const presets = wasm.AnalogyWidget.presets();
  const shell = createShell(root, ctx, { title: () => t('title') });
  showFieldErrors(shell.banner, parsed.errors, ctx.lang.get);
  const hide = ctx.hide;
  const lang = () => ctx.lang.get();
  let vectors = null;
  let applyError = null;

  const panel = vectorPanel(wasm, { lang: ctx.lang, watch: root, onReady: (hnd) => { vectors = hnd; update(); } });
  panel.el.hidden = hide.has('vectors');

  const apply = (change) => {
    try {
      widget.setConfig({ ...widget.config(), ...change, lang: lang() });
    } catch (e) {
      applyError?.remove();
      applyError = shell.banner.show('error', e.message);
      return false;
    }
    applyError?.remove();
    applyError = null;
    ctx.save(widget.urlPairs(), widget.config());
    update();
    return true;
  };

  // Query: b − a + c ≈ ?, with the expected answer.
  const cfg = widget.config();
  const field = {};
  for (const name of ['b', 'a', 'c', 'expected']) {
    field[name] = textField({ name, label: () => t(name), value: cfg[name], hide, onCommit: (v) => field[name].invalid(apply({ [name]: v }) ? null : 'bad') });
  }
  const queryRow = h('div', { class: 'rl-query' }, field.b.el, field.a.el, field.c.el, field.expected.el);
  const result = h('p', { class: 'rl-result', role: 'status', dataset: { role: 'analogy-result' }, hidden: true });
  const excludedNote = h('p', { class: 'rl-hint', dataset: { role: 'exclude-note' } });
  const wordErrors = h('div', { class: 'rl-inline', role: 'alert', hidden: true });
  const answers = h('div', { class: 'rl-scroll', dataset: { role: 'answers' } });
  const pcaChart = createChart({
    label: () => t('pcaChart'), aspect: 0.62, minHeight: 260, maxHeight: 520,
    draw: (c, s) => (vectors ? widget.drawPca(c, s, vectors) : widget.drawWaiting(c, s, t('waitVectors'))),
    readout: () => null,
    onError: (e) => shell.banner.show('error', e.message),
  });
  const pcaNote = h('p', { class: 'rl-hint' });
  const pcaBlock = block(() => t('pcaTitle'), pcaChart.el, pcaNote);
  shell.figure.append(queryRow, wordErrors, result, excludedNote, answers, pcaBlock.el);

  // Controls.
  const presetSel = select({
    name: 'preset', label: () => t('preset'), value: cfg.preset, hide,
    options: [...presets.map((p) => ({ value: p.id, label: () => (lang() === 'ko' ? p.title_ko : p.title_en) })), { value: 'custom', label: () => t('custom') }],
    onChange: (v) => {
      const p = presets.find((x) => x.id === v);
      const change = { preset: v };
      if (p) Object.assign(change, { a: p.a, b: p.b, c: p.c, expected: p.expected });
      if (apply(change)) for (const k of ['a', 'b', 'c', 'expected']) field[k].set(widget.config()[k]);
    },
  });
  const methodSel = select({ name: 'method', label: () => t('method'), value: cfg.method, hide, options: [{ value: 'cosadd', label: () => t('cosadd') }, { value: 'cosmul', label: () => t('cosmul') }], onChange: (v) => apply({ method: v }) });
  const excludeTg = toggle({ name: 'exclude', label: () => t('exclude'), checked: cfg.exclude, hide, onChange: (on) => apply({ exclude: on }) });
  const restrictSel = select({ name: 'restrict', label: () => t('restrict'), value: String(cfg.restrict), hide,
    options: ['0', '10000', '30000'].concat(['0', '10000', '30000'].includes(String(cfg.restrict)) ? [] : [String(cfg.restrict)]).map((v) => ({ value: v, label: () => (v === '0' ? t('all') : t('top', { n: Number(v).toLocaleString('en') })) })),
    onChange: (v) => apply({ restrict: Number(v) }) });
  shell.controls.append(presetSel.el, methodSel.el, excludeTg.el, restrictSel.el, panel.el);

  // Neighbours.
  const wordField = textField({ name: 'word', label: () => t('neighbourWord'), value: cfg.word, hide, onCommit: (v) => apply({ word: v }) });
  const neighbourBox = h('div', { class: 'rl-scroll', dataset: { role: 'neighbours' } });
  const neighbourBlock = block(() => t('neighbours'), wordField.el, neighbourBox);

  // Benchmark (optional, in a <details>).
  const benchSummary = h('summary');
  const benchOut = h('p', { class: 'rl-status', role: 'status', dataset: { role: 'bench' } });
  let benchController = null;
  const benchProgress = createProgress({ label: () => t('progress'), cancelLabel: () => t('cancel'), onCancel: () => benchController?.abort() });
  const benchBtn = button({ name: 'bench-run', label: () => t('benchRun'), onClick: () => runBench() });
  const bench = h('details', { class: 'rl-block', dataset: { control: 'bench' }, hidden: hide.has('bench') }, benchSummary, benchBtn.el, benchProgress.el, benchOut);

  const math = h('div', { dataset: { control: 'math' }, hidden: hide.has('math') });
  const point = h('p', { class: 'rl-point' });
  shell.below.append(neighbourBlock.el, math, point, bench, panel.credit);
  renderMath(math, TEX).catch((e) => shell.banner.show('error', e.message));

  async function runBench() {
    if (!vectors || benchController) return;
    benchController = new AbortController();
    const signal = benchController.signal;
    benchBtn.input.disabled = true;
    try {
      const text = await fetchText('data/glove/questions-words.txt', { signal });
      const b = new wasm.AnalogyBenchmark(vectors, text, 30000, 'cosadd');
      try {
        await runInFrames({
          units: 50, signal,
          step: (n) => { const p = b.step(vectors, n); return { done: b.isDone(), p }; },
          onProgress: (r) => benchProgress.set(r.p.total ? r.p.done / r.p.total : 1, t('benchProgress', { done: r.p.done.toLocaleString('en'), total: r.p.total.toLocaleString('en') })),
        });
        const r = b.report();
        benchOut.textContent = t('benchResult', { c: r.correct.toLocaleString('en'), n: r.total.toLocaleString('en'), pct: fmt(100 * r.correct / r.total, 1), sc: r.semantic[0], sn: r.semantic[1], yc: r.syntactic[0], yn: r.syntactic[1], skip: r.skipped.toLocaleString('en') });
      } finally {
        b.free();
      }
    } catch (e) {
      if (!isAbort(e)) shell.banner.show('error', e.message);
    } finally {
      benchController = null;
      benchBtn.input.disabled = false;
      benchProgress.done();
    }
  }

  /** Unknown query words → localised messages (null when all are known). */
  function unknownWords(words) {
    const bad = words.filter((w) => w && !vectors.has(w.trim().toLowerCase()));
    return bad.length ? bad.map((w) => unknownWordMessage(vectors, w.trim(), lang())) : null;
  }

  function showWordErrors(list) {
    wordErrors.hidden = !list;
    wordErrors.className = list ? 'rl-message rl-error rl-inline' : 'rl-inline';
    wordErrors.replaceChildren(...(list ?? []).map((m) => h('div', { text: m })));
  }

  function update() {
    const c = widget.config();
    excludedNote.textContent = c.exclude ? t('excludedOn') : t('excludedOff');
    if (!vectors) {
      result.hidden = true;
      answers.replaceChildren();
      neighbourBox.replaceChildren(h('p', { class: 'rl-hint', text: t('waitVectors') }));
      pcaChart.redraw();
      return;
    }
    const bad = unknownWords([c.a, c.b, c.c, c.expected]);
    showWordErrors(bad);
    for (const k of ['a', 'b', 'c', 'expected']) field[k].invalid(c[k] && !vectors.has(c[k].trim().toLowerCase()) ? 'unknown' : null);
    if (bad) {
      result.hidden = true;
      answers.replaceChildren();
    } else {
      let r = null;
      try { r = widget.analogy(vectors); } catch (e) { shell.banner.show('error', e.message); }
      if (r) {
        const e = r.expected;
        const top = r.answers[0]?.word ?? '';
        let msg;
        if (!e) msg = t('noExpected', { top });
        else if (e.rank === 1) msg = t('solved', { e: e.word, cos: fmt(e.cosine, 3) });
        else if (e.rank) msg = t('fails', { top, e: e.word, rank: e.rank.toLocaleString('en'), cos: fmt(e.cosine, 3) });
        else if (c.exclude && [c.a, c.b, c.c].map((w) => w.trim().toLowerCase()).includes(e.word)) msg = t('excluded', { e: e.word });
        else msg = t('outside', { e: e.word });
        result.hidden = false;
        result.className = `rl-result ${r.solved === false ? 'rl-fail' : 'rl-ok'}`;
        result.dataset.solved = String(r.solved);
        result.textContent = `${t('query', { b: c.b, a: c.a, c: c.c })} ${msg}`;
        answers.replaceChildren(table([t('rank'), t('word'), t('score'), t('cosine')], r.answers.map((a, i) => [
          String(i + 1),
          { text: a.word, class: e && a.word === e.word ? 'rl-hit' : undefined },
          fmt(a.score, 3),
          fmt(a.cosine, 3),
        ])));
      }
    }
    // Neighbours.
    const w = c.word.trim();
    if (!w) neighbourBox.replaceChildren(h('p', { class: 'rl-hint', text: t('emptyWord') }));
    else if (!vectors.has(w.toLowerCase())) {
      neighbourBox.replaceChildren(h('div', { class: 'rl-message rl-error rl-inline', role: 'alert', text: unknownWordMessage(vectors, w, lang()) }));
      wordField.invalid('unknown');
    } else {
      wordField.invalid(null);
      try {
        const n = widget.neighbours(vectors);
        neighbourBox.replaceChildren(table([t('rank'), t('word'), 'cos'], n.map((x, i) => [String(i + 1), x.word, fmt(x.cosine, 3)])));
      } catch (e) { neighbourBox.replaceChildren(h('p', { text: e.message })); }
    }
    try {
      const unknown = widget.pcaUnknown(vectors);
      pcaNote.textContent = unknown.length ? t('pcaUnknown', { words: unknown.join(', ') }) : '';
    } catch { pcaNote.textContent = ''; }
    pcaChart.redraw();
  }

  function refresh() {
    shell.refresh();
    for (const c of [presetSel, methodSel, excludeTg, restrictSel, wordField, benchBtn, benchProgress, ...['a', 'b', 'c', 'expected'].map((k) => field[k])]) c.refresh();
    neighbourBlock.refresh();
    pcaBlock.refresh();
    panel.refresh();
    benchSummary.textContent = t('bench');
    point.textContent = t('point');
    pcaChart.refresh();
  }
  refresh();
  update();
  ctx.track(widget.urlPairs(), widget.config());
  const unsubscribe = ctx.lang.subscribe((l) => {
    try { widget.setConfig({ ...widget.config(), lang: l }); } catch (e) { shell.banner.show('error', e.message); }
    refresh();
    update();
  });
  return {
    destroy() {
      unsubscribe();
      panel.destroy();
      benchController?.abort();
      pcaChart.destroy();
      widget.free();
      root.replaceChildren();
    },
  };
}
