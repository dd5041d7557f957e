// Widget "train_lab": train a character- or word-level RNN / LSTM / GRU language model in the
// browser and watch it learn. Training runs in a Web Worker (train_lab_worker.js, its own wasm
// instance with `TrainerHandle`s); this module owns the DOM, the URL state and the charts, which
// the page's wasm instance draws (`TrainLabWidget`: loss/perplexity, gradient norm before and
// after clipping, next-token probabilities). Nothing the user typed is lost: the own text and the
// priming text stay in the page (and in sessionStorage for this tab) and never go into a link.
//
// Lecture points: cross-entropy and perplexity on training vs held-out text; exploding gradients
// and clipping (Pascanu et al. 2013); temperature sampling and entropy; teacher forcing vs free
// running and exposure bias (Bengio et al. 2015); RNN vs LSTM vs GRU from the same seed.

import { h, fmt } from '../ui/dom.js';
import { makeT } from '../i18n.js';
import { createShell, showFieldErrors } from '../ui/shell.js';
import { button, select, slider, toggle } from '../ui/controls.js';
import { createChart } from '../ui/chart.js';
import { createProgress } from '../ui/progress.js';
import { bindStepKeys } from '../ui/keys.js';
import { renderMath } from '../ui/math.js';

/** Both languages, one table. */
export const strings = {
  ko: {
    title: 'RNN 언어 모델 학습 실험실',
    train: '▶ 학습',
    pause: '❙❙ 일시정지',
    step: '한 스텝',
    reset: '처음부터',
    state_idle: '준비됨',
    state_playing: '학습 중',
    state_paused: '일시정지',
    state_loading: '불러오는 중…',
    state_building: '모델을 만드는 중…',
    state_none: '모델 없음',
    state_diverged: '발산',
    status: '{state} · 스텝 {step} · {rate} 스텝/초',
    vocab_info: '어휘 V = {v} ({kind}) · 훈련 토큰 {train} · 검증 토큰 {held} (검증 손실은 200 스텝마다, 그리고 멈출 때 앞쪽 1,000 토큰으로 잽니다)',
    kind_char: '문자',
    kind_word: '단어',
    source_fresh: '새 모델 (무작위 초기화, seed {seed})',
    source_pretrained: '미리 학습된 셰익스피어 문자 LSTM (H = 256, 40,000 스텝)',
    source_file: '파일에서 불러온 모델',
    g_data: '데이터',
    g_model: '모델',
    g_training: '학습',
    g_file: '모델 파일',
    g_charts: '그래프',
    data: '학습 텍스트',
    data_shakespeare: '타이니 셰익스피어 (1.1 MB)',
    data_warpeace: '전쟁과 평화 (3.2 MB)',
    data_lecture: '강의 예문 (한국어 · 영어)',
    data_own: '내 텍스트',
    own_text: '내 텍스트 (붙여넣기)',
    own_placeholder: '여기에 텍스트를 붙여넣으세요 (한글 포함, 어떤 유니코드든 가능)',
    own_file: '텍스트 파일 열기',
    own_use: '이 텍스트로 학습',
    own_count: '{n}자',
    own_private: '내 텍스트는 이 탭 안에만 있습니다. 서버로 보내지 않고 링크에도 넣지 않습니다 (공유 링크를 열면 내장 텍스트 대신 여기에 다시 붙여넣어야 합니다).',
    own_needed: '이 링크는 "내 텍스트"로 학습하도록 되어 있지만, 링크에는 텍스트가 들어 있지 않습니다. 아래에 텍스트를 붙여넣고 "이 텍스트로 학습"을 누르세요.',
    tokens: '토큰',
    tokens_char: '문자',
    tokens_word: '단어',
    heldout: '검증용 비율 (끝부분)',
    max_vocab: '최대 어휘 크기',
    cell: '셀',
    cell_compare: '셀 (생성에 쓸 모델)',
    activation: 'RNN 활성화 함수',
    hidden: '은닉 크기 H',
    layers: '층 수',
    seq_len: '시퀀스 길이 T',
    bptt_window: 'BPTT 창 k (0 = 전체)',
    optimizer: '옵티마이저',
    lr: '학습률 η',
    clip: '기울기 클리핑',
    clip_threshold: '클리핑 임계값 θ',
    teacher_forcing: '교사 강요 비율 ρ (1 = 항상 정답 토큰)',
    seed: '시드',
    compare: 'RNN · LSTM · GRU 나란히 비교',
    metric: '세로축',
    metric_loss: '손실 (nats/토큰)',
    metric_perplexity: '퍼플렉서티',
    save: '모델 저장',
    load: '모델 파일 열기',
    pretrained: '미리 학습된 셰익스피어 LSTM (1.9 MB)',
    loss_chart: '손실 곡선: 가로축 파라미터 업데이트 수, 세로축 {metric}. {summary}',
    grad_chart: '전역 기울기 노름 (로그 눈금): 클리핑 전과 후, 임계값 θ',
    bars_chart: '다음 토큰 확률 막대 (온도 τ = {t}): {top}',
    runs_model: '모델',
    runs_step: '스텝',
    runs_train: '훈련 손실',
    runs_heldout: '검증 (교사 강요)',
    runs_free: '검증 (자유 실행)',
    runs_ppl: '퍼플렉서티',
    keys: '그래프 영역을 누르거나 Tab 으로 고른 뒤 Space 로 학습/일시정지, → 로 한 스텝.',
    diverged_title: '학습이 발산했습니다',
    diverged_run: '{cell}: 스텝 {step}에서 {what}이(가) 무한대 또는 NaN 이 되어 그 업데이트는 적용하지 않았습니다. 직전 20 스텝의 가장 큰 기울기 노름은 {norm} 이었습니다.',
    what_loss: '손실',
    what_gradient: '기울기',
    cause_noclip: '기울기 클리핑이 꺼져 있어, 한 번 폭주한 기울기(기울기 폭발)가 가중치를 너무 멀리 보내 다음 순전파가 넘쳤습니다. BPTT 는 시간 단계마다 순환 야코비안을 곱하므로, 그 노름이 1보다 크면 기울기가 T 에 대해 지수적으로 커집니다. 클리핑을 켜거나 학습률(지금 {lr})을 낮추세요.',
    cause_clip: '클리핑(θ = {theta})을 켰어도 학습률 {lr} 에서는 한 번의 업데이트가 너무 큽니다. 학습률을 낮추세요.',
    restore: '↩ 마지막 정상 체크포인트로 (스텝 {step})',
    restore_fresh: '↩ 처음부터 다시',
    safer: '더 안전한 설정도 함께 적용 (클리핑 켬, 학습률 ÷ 10 · 최대 {cap})',
    cause_relu: 'ReLU RNN 은 은닉 상태에 상한이 없어서, 가중치가 커지면 순전파 자체가 넘칠 수 있습니다.',
    restored: '스텝 {step} 체크포인트로 돌아왔습니다.',
    no_checkpoint: '아직 체크포인트가 없어 새 모델로 다시 시작합니다.',
    g_generate: '텍스트 생성',
    prime: '시작 텍스트 (프라이밍)',
    temperature: '온도 τ',
    greedy: '탐욕적 (argmax) 생성',
    gen_len: '생성 길이 (토큰)',
    generate: '생성',
    next_token: '다음 토큰 하나',
    stop: '멈춤',
    drew: '뽑은 토큰 “{token}” (확률 {p})',
    drew_greedy: '고른 토큰 “{token}” (argmax, τ = 1 에서 확률 {p})',
    entropy: '다음 토큰 분포의 엔트로피 H = {h} nats (균등 분포면 ln V = {max}). τ 가 작을수록 분포가 뾰족해지고 H 가 줄어듭니다.',
    gen_empty: '“생성”을 누르면 모델이 시작 텍스트 뒤를 이어 씁니다.',
    g_exposure: '교사 강요와 노출 편향',
    exposure_text: '교사 강요로만 학습한 모델은 늘 정답 이전 토큰만 읽습니다. 생성할 때는 자기 예측을 읽으므로, 한 번 틀리면 본 적 없는 상태가 되어 오류가 쌓입니다 (노출 편향). 아래는 검증 텍스트 한 구절을 두 가지로 예측한 것입니다 (argmax, 밑줄 = 틀린 토큰). 손실 그래프의 “검증 (자유 실행)” 곡선이 같은 효과를 손실로 보여 줍니다.',
    exposure_show: '검증 구절로 비교',
    exposure_next: '다른 구절',
    exp_prime: '시작 ({n} 토큰, 두 방식 모두 읽음)',
    exp_truth: '정답',
    exp_teacher: '교사 강요 예측',
    exp_free: '자유 실행 예측',
    exp_acc: '{n}/{m} 맞음 ({pct})',
    credit: '텍스트 출처: 타이니 셰익스피어 (셰익스피어, 퍼블릭 도메인; A. Karpathy 의 char-rnn 선정본) · 전쟁과 평화 (L. 톨스토이, L. · A. 모드 영역, Project Gutenberg #2600, 퍼블릭 도메인) · 강의 예문 (RNN Lab, CC0). 자세한 내용:',
    credit_link: 'data/SOURCES.md',
    progress_data: '학습 텍스트 내려받는 중',
    progress_model: '미리 학습된 모델 내려받는 중',
    progress_bytes: '{what} {pct}% ({loaded} / {total} MB)',
    cancel: '취소',
    cancelled: '불러오기를 취소했습니다. 이전 모델을 그대로 씁니다.',
    err_empty: '텍스트가 비어 있습니다. 학습할 텍스트를 붙여넣거나 파일을 여세요.',
    err_huge: '텍스트가 너무 깁니다 ({n}자). 최대 {max}자까지 씁니다.',
    err_file_big: '파일이 너무 큽니다 ({mb} MB). 최대 {max} MB 입니다.',
    err_build: '모델을 만들 수 없습니다: {message}. 이전 모델(있다면)을 그대로 씁니다.',
    err_load: '모델 파일을 불러올 수 없습니다: {message}. 이전 모델을 그대로 씁니다.',
    err_gen: '생성할 수 없습니다: {message}',
    err_worker: '학습 워커 오류: {message}',
    err_setting: '설정을 바꿀 수 없습니다: {message}',
    loaded_model: '모델을 불러왔습니다: {cell}, H = {hidden}, {layers}층.',
    saved: '모델을 {name} 으로 저장했습니다.',
    rebuilt: '설정이 바뀌어 새 모델을 만들었습니다.',
    changed: '{what}: {value}',
    on: '켬',
    off: '끔',
  },
  en: {
    title: 'RNN language-model training lab',
    train: '▶ Train',
    pause: '❙❙ Pause',
    step: 'One step',
    reset: 'Start over',
    state_idle: 'Ready',
    state_playing: 'Training',
    state_paused: 'Paused',
    state_loading: 'Loading…',
    state_building: 'Building the model…',
    state_none: 'No model',
    state_diverged: 'Diverged',
    status: '{state} · step {step} · {rate} steps/s',
    vocab_info: 'Vocabulary V = {v} ({kind}) · {train} training tokens · {held} held-out tokens (held-out loss: on their first 1,000, every 200 steps and when training stops)',
    kind_char: 'characters',
    kind_word: 'words',
    source_fresh: 'Fresh model (random initialisation, seed {seed})',
    source_pretrained: 'Pretrained Shakespeare char-LSTM (H = 256, 40,000 steps)',
    source_file: 'Model loaded from a file',
    g_data: 'Data',
    g_model: 'Model',
    g_training: 'Training',
    g_file: 'Model file',
    g_charts: 'Charts',
    data: 'Training text',
    data_shakespeare: 'Tiny Shakespeare (1.1 MB)',
    data_warpeace: 'War and Peace (3.2 MB)',
    data_lecture: 'Lecture sentences (Korean · English)',
    data_own: 'My own text',
    own_text: 'My own text (paste)',
    own_placeholder: 'Paste a text here (any Unicode, Hangul included)',
    own_file: 'Open a text file',
    own_use: 'Train on this text',
    own_count: '{n} characters',
    own_private: 'Your text stays in this tab: it is not uploaded and never put into links (a shared link opens without it; paste it again here).',
    own_needed: 'This link asks to train on "my own text", but links never contain it. Paste a text below and press "Train on this text".',
    tokens: 'Tokens',
    tokens_char: 'characters',
    tokens_word: 'words',
    heldout: 'Held-out fraction (the end)',
    max_vocab: 'Largest vocabulary',
    cell: 'Cell',
    cell_compare: 'Cell (the one that generates)',
    activation: 'RNN activation',
    hidden: 'Hidden size H',
    layers: 'Layers',
    seq_len: 'Sequence length T',
    bptt_window: 'BPTT window k (0 = full)',
    optimizer: 'Optimiser',
    lr: 'Learning rate η',
    clip: 'Gradient clipping',
    clip_threshold: 'Clipping threshold θ',
    teacher_forcing: 'Teacher forcing ratio ρ (1 = always the true token)',
    seed: 'Seed',
    compare: 'Compare RNN · LSTM · GRU side by side',
    metric: 'y axis',
    metric_loss: 'loss (nats/token)',
    metric_perplexity: 'perplexity',
    save: 'Save model',
    load: 'Open model file',
    pretrained: 'Pretrained Shakespeare LSTM (1.9 MB)',
    loss_chart: 'Loss curves: parameter updates across, {metric} up. {summary}',
    grad_chart: 'Global gradient norm (log scale) before and after clipping, with the threshold θ',
    bars_chart: 'Next-token probability bars (temperature τ = {t}): {top}',
    runs_model: 'Model',
    runs_step: 'Step',
    runs_train: 'Train loss',
    runs_heldout: 'Held-out (teacher forcing)',
    runs_free: 'Held-out (free-running)',
    runs_ppl: 'Perplexity',
    keys: 'Click or Tab to the charts, then Space trains/pauses and → takes one step.',
    diverged_title: 'Training diverged',
    diverged_run: '{cell}: at step {step} the {what} became infinite or NaN, so that update was not applied. The largest gradient norm in the 20 steps before was {norm}.',
    what_loss: 'loss',
    what_gradient: 'gradient',
    cause_noclip: 'Gradient clipping is off, so one exploding gradient threw the weights so far that the next forward pass overflowed. BPTT multiplies the recurrent Jacobian once per time step; when its norm is above 1 the gradient grows exponentially with T. Turn clipping on or lower the learning rate (now {lr}).',
    cause_clip: 'Clipping (θ = {theta}) is on, but at learning rate {lr} a single update is still too large. Lower the learning rate.',
    restore: '↩ Back to the last good checkpoint (step {step})',
    restore_fresh: '↩ Start again',
    safer: 'Also use safer settings (clipping on, learning rate ÷ 10, at most {cap})',
    cause_relu: 'A ReLU RNN has no bound on its hidden state, so with large weights the forward pass itself can overflow.',
    restored: 'Back at the checkpoint of step {step}.',
    no_checkpoint: 'There is no checkpoint yet, so a fresh model was started.',
    g_generate: 'Generate text',
    prime: 'Priming text',
    temperature: 'Temperature τ',
    greedy: 'Greedy (argmax) decoding',
    gen_len: 'Length (tokens)',
    generate: 'Generate',
    next_token: 'Next token',
    stop: 'Stop',
    drew: 'Drew “{token}” (probability {p})',
    drew_greedy: 'Picked “{token}” (argmax; probability {p} at τ = 1)',
    entropy: 'Entropy of the next-token distribution H = {h} nats (uniform: ln V = {max}). A lower τ sharpens the distribution and lowers H.',
    gen_empty: 'Press “Generate” and the model continues the priming text.',
    g_exposure: 'Teacher forcing and exposure bias',
    exposure_text: 'A model trained only with teacher forcing always reads the true previous token. When it generates, it reads its own predictions, so one mistake puts it in a state it never saw and errors pile up (exposure bias). Below, one held-out passage is predicted both ways (argmax; underlined = wrong). The loss chart\'s "held-out (free-running)" curve shows the same effect as a loss.',
    exposure_show: 'Compare on a held-out passage',
    exposure_next: 'Another passage',
    exp_prime: 'Start ({n} tokens, read by both)',
    exp_truth: 'True text',
    exp_teacher: 'Teacher forcing',
    exp_free: 'Free running',
    exp_acc: '{n}/{m} right ({pct})',
    credit: 'Texts: Tiny Shakespeare (Shakespeare, public domain; A. Karpathy\'s char-rnn selection) · War and Peace (L. Tolstoy, tr. L. and A. Maude, Project Gutenberg #2600, public domain) · lecture sentences (RNN Lab, CC0). Details:',
    credit_link: 'data/SOURCES.md',
    progress_data: 'Downloading the training text',
    progress_model: 'Downloading the pretrained model',
    progress_bytes: '{what} {pct}% ({loaded} / {total} MB)',
    cancel: 'Cancel',
    cancelled: 'Loading was cancelled. The previous model is still in use.',
    err_empty: 'The text is empty. Paste a text or open a file to train on.',
    err_huge: 'The text is too long ({n} characters). The limit is {max}.',
    err_file_big: 'The file is too large ({mb} MB). The limit is {max} MB.',
    err_build: 'Cannot build the model: {message}. The previous model (if any) is still in use.',
    err_load: 'Cannot load the model file: {message}. The previous model is still in use.',
    err_gen: 'Cannot generate: {message}',
    err_worker: 'Training worker error: {message}',
    err_setting: 'Cannot change the setting: {message}',
    loaded_model: 'Model loaded: {cell}, H = {hidden}, {layers} layer(s).',
    saved: 'Model saved as {name}.',
    rebuilt: 'The settings changed, so a fresh model was built.',
    changed: '{what}: {value}',
    on: 'on',
    off: 'off',
  },
};

/** Names accepted in `hide`. */
export const controls = [
  'train', 'step', 'reset', 'data', 'own_text', 'tokens', 'heldout', 'max_vocab', 'cell', 'activation', 'hidden',
  'layers', 'seq_len', 'bptt_window', 'optimizer', 'lr', 'clip', 'clip_threshold', 'teacher_forcing', 'seed',
  'compare', 'metric', 'model_file', 'pretrained', 'grad', 'generate', 'exposure', 'math', 'copy', 'lang',
];

/** Suggested iframe height (CSS px) for the embed snippet. */
export const embedHeight = 2200;

const ROOT_URL = new URL('../../../', import.meta.url);
const DATA_PATHS = {
  shakespeare: 'data/corpora/tinyshakespeare.txt',
  warpeace: 'data/corpora/war_and_peace.txt',
  lecture: 'data/lecture/sentences.txt',
};
const PRETRAINED_PATH = 'data/models/shakespeare-char-lstm.json';
const DEFAULT_PRIMES = { shakespeare: 'ROMEO:', warpeace: 'Prince Andrew', lecture: '학생들이', own: '' };
/** Largest own text (characters) and files (bytes). */
const MAX_OWN_CHARS = 2_000_000;
const MAX_TEXT_FILE_MB = 8;
const MAX_MODEL_FILE_MB = 50;
/** Settings whose change needs a fresh model; the others are applied live or only to the view. */
const STRUCTURAL = new Set(['data', 'tokens', 'heldout', 'max_vocab', 'cell', 'activation', 'hidden', 'layers',
  'seq_len', 'bptt_window', 'optimizer', 'seed', 'compare']);
/** The "safer settings" after a divergence never set a learning rate above these. */
const LR_CAP = { sgd: 0.1, rmsprop: 0.002, adam: 0.002 };
const LIVE = new Set(['lr', 'clip', 'clip_threshold', 'teacher_forcing']);
const TEX = String.raw`\begin{gathered}L=-\frac1T\sum_{t=1}^{T}\log p_\theta(x_{t+1}\mid x_{\le t})\\ \mathrm{PPL}=e^{L}\\ \lVert g\rVert_2>\theta\;\Rightarrow\; g\leftarrow\frac{\theta}{\lVert g\rVert_2}\,g\end{gathered}`;

let cssPromise = null;
function ensureCss() {
  if (!cssPromise) {
    const existing = document.querySelector('link[data-rnnlab-train-css]');
    if (existing) {
      cssPromise = Promise.resolve();
    } else {
      const link = h('link', { rel: 'stylesheet', href: new URL('../../css/train_lab.css', import.meta.url).href, 'data-rnnlab-train-css': true });
      cssPromise = new Promise((resolve) => {
        link.addEventListener('load', () => resolve(), { once: true });
        link.addEventListener('error', () => resolve(), { once: true });
      });
      document.head.append(link);
    }
  }
  return cssPromise;
}

/** A module worker, also when this script is served from another origin (a same-origin blob
 * that imports the real worker module, which the server allows with CORS). */
function startWorker() {
  const url = new URL('./train_lab_worker.js', import.meta.url);
  if (url.origin === window.location.origin) return new Worker(url, { type: 'module' });
  const blob = new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' });
  return new Worker(URL.createObjectURL(blob), { type: 'module' });
}

const storage = {
  get(key) { try { return window.sessionStorage.getItem(key); } catch { return null; } },
  set(key, value) { try { window.sessionStorage.setItem(key, value); } catch { /* full or disabled: the text stays in the page */ } },
};

/** Sets a text only when it changed (no needless layout work on every report). */
const setText = (el, text) => { if (el.textContent !== text) el.textContent = text; };
const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const num = (x, d = 3) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : fmt(x, d));
const visible = (tok) => tok.replace(/\n/g, '⏎').replace(/\t/g, '⇥');

/**
 * Mounts the widget in `root`.
 * @param {HTMLElement} root
 * @param {import('../embed.js').WidgetContext} ctx
 * @returns {Promise<{destroy: () => void}>}
 */
export async function mount(root, ctx) {
  const [wasm] = await Promise.all([ctx.wasm(), ensureCss()]);
  const t = makeT(strings, ctx.lang.get);
  const parsed = wasm.TrainLabWidget.parseConfig(ctx.pairs);
  const widget = new wasm.TrainLabWidget({ ...parsed.config, lang: ctx.lang.get() });
  const colours = wasm.TrainLabWidget.colours();
  const hideSet = new Set(controls.filter((n) => ctx.hide.has(n)));
  const shell = createShell(root, ctx, { title: () => t('title') });
  shell.section.classList.add('rl-tl');
  showFieldErrors(shell.banner, parsed.errors, ctx.lang.get);
  const refreshers = [];
  const onLang = (fn) => { refreshers.push(fn); fn(); };
  const key = (k) => `rnnlab.train_lab.${ctx.id ?? 'embed'}.${k}`;
  const say = (text) => shell.narrator.say(text);
  const showError = (textFn) => shell.banner.show('error', textFn);
  const showInfo = (textFn) => shell.banner.show('info', textFn);

  // ---- state ------------------------------------------------------------------------------
  const st = {
    built: false, busy: null, playing: false, source: 'fresh', runs: [], vocab: [], kind: 'char',
    trainTokens: 0, heldoutTokens: 0, diverged: [], checkpoints: [], steps: [], rate: 0,
    primed: false, genId: null, dist: null, drew: null, passage: 0, buildToken: 0, exposure: null,
  };
  let destroyed = false;

  // ---- worker and its requests --------------------------------------------------------------
  const worker = startWorker();
  let nextId = 1;
  const pending = new Map();
  const request = (msg, transfer = []) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ ...msg, id }, transfer);
  });
  worker.addEventListener('message', (e) => {
    if (destroyed) return;
    const m = e.data;
    if (m.type === 'reply') {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (!p) return;
      if (m.ok) p.resolve(m);
      else p.reject(Object.assign(new Error(m.error), { name: m.name ?? 'Error' }));
    } else if (m.type === 'report') onReport(m);
    else if (m.type === 'progress') onProgress(m);
    else if (m.type === 'gen') onGen(m);
    else if (m.type === 'fatal') showError(() => t('err_worker', { message: m.error }));
  });
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    showError(() => t('err_worker', { message: e.message || 'the worker script could not start' }));
  });

  // ---- figure: toolbar, status, diverged panel, table, charts --------------------------------
  const playBtn = button({ name: 'train', label: () => (st.playing ? t('pause') : t('train')), hide: hideSet, kind: 'primary', onClick: () => togglePlay() });
  const stepBtn = button({ name: 'step', label: () => t('step'), hide: hideSet, onClick: () => stepOnce() });
  const resetBtn = button({ name: 'reset', label: () => t('reset'), hide: hideSet, onClick: () => rebuild() });
  const status = h('p', { class: 'rl-tl-status', 'aria-live': 'off' });
  const source = h('p', { class: 'rl-tl-source' });
  const progress = createProgress({
    label: () => t(st.busy === 'model' ? 'progress_model' : 'progress_data'),
    cancelLabel: () => t('cancel'),
    onCancel: () => worker.postMessage({ type: 'cancel' }),
  });
  refreshers.push(() => progress.refresh());

  const divTitle = h('strong');
  const divText = h('div', { class: 'rl-tl-diverged-text' });
  const safer = h('input', { type: 'checkbox', name: 'safer', checked: true });
  const saferLabel = h('span');
  const restoreBtn = h('button', { type: 'button', class: 'rl-button rl-primary', name: 'restore', on: { click: () => restore() } });
  const divPanel = h('div', { class: 'rl-tl-diverged', role: 'alert', hidden: true },
    divTitle, divText, h('label', { class: 'rl-control rl-toggle' }, safer, saferLabel), restoreBtn);

  const table = h('table', { class: 'rl-tl-runs' });
  const tableWrap = h('div', { class: 'rl-tl-table-wrap' }, table);

  const lossChart = createChart({
    label: () => t('loss_chart', { metric: t(`metric_${widget.config().metric}`), summary: summaryText() }),
    draw: (c, s) => widget.drawLoss(c, s),
    readout: (x) => readoutText(widget.lossReadout(x), false),
    aspect: 0.42, minHeight: 260, maxHeight: 430,
    onError: (e) => showError(() => e.message),
  });
  const gradChart = createChart({
    label: () => t('grad_chart'),
    draw: (c, s) => widget.drawGrad(c, s),
    readout: (x) => readoutText(widget.gradReadout(x), true),
    aspect: 0.34, minHeight: 230, maxHeight: 360,
    onError: (e) => showError(() => e.message),
  });
  lossChart.el.dataset.chart = 'loss';
  gradChart.el.dataset.chart = 'grad';
  gradChart.el.dataset.control = 'grad';
  gradChart.el.hidden = hideSet.has('grad');
  function readoutText(rows, log) {
    if (!rows.length) return null;
    const step = Math.round(rows[0].step);
    return [`${t('runs_step')} ≈ ${int(step)}`, ...rows.map((r) => `${r.label}: ${log ? fmtSig(r.value) : fmt(r.value, 3)}`)].join('\n');
  }
  const keysHint = h('p', { class: 'rl-hint' });
  const charts = h('div', { class: 'rl-focusable rl-tl-charts', tabindex: '0' }, lossChart.el, gradChart.el);
  const unbindKeys = bindStepKeys(charts, { next: () => stepOnce(), toggle: () => togglePlay() });
  // (the pretrained-model button is created with the controls below and placed in this toolbar)
  const toolbar = h('div', { class: 'rl-tl-toolbar' }, playBtn.el, stepBtn.el, resetBtn.el);
  shell.figure.append(toolbar, status, source, progress.el, divPanel, tableWrap, charts, keysHint);

  // ---- controls --------------------------------------------------------------------------------
  const cfg0 = widget.config();
  const all = [];
  const ctl = (c) => { all.push(c); return c; };
  const opt = (v, k) => ({ value: v, label: () => t(k) });
  const logSlider = (name, min, max, step, digits) => {
    const c = slider({
      name, label: () => t(name), min, max, step, value: Math.log10(cfg0[name]), hide: hideSet,
      format: (v) => fmtSig(10 ** v, digits),
      onChange: (v) => apply({ [name]: Number(fmtSig(10 ** v, digits)) }, t(name), fmtSig(10 ** v, digits)),
    });
    const set = c.set;
    c.set = (v) => set(Math.log10(v));
    return ctl(c);
  };

  const dataSel = ctl(select({ name: 'data', label: () => t('data'), value: cfg0.data, hide: hideSet,
    options: [opt('shakespeare', 'data_shakespeare'), opt('warpeace', 'data_warpeace'), opt('lecture', 'data_lecture'), opt('own', 'data_own')],
    onChange: (v) => apply({ data: v }, t('data'), t(`data_${v}`)) }));
  const ownArea = h('textarea', { name: 'own_text', rows: 6, spellcheck: 'false', class: 'rl-tl-own' });
  const ownFile = h('input', { type: 'file', name: 'own_file', accept: '.txt,text/plain', class: 'rl-tl-file' });
  const ownFileLabel = h('span', { class: 'rl-label-text' });
  const ownUse = h('button', { type: 'button', class: 'rl-button rl-primary', name: 'own_use', on: { click: () => useOwnText() } });
  const ownCount = h('span', { class: 'rl-hint' });
  const ownPrivate = h('p', { class: 'rl-hint' });
  const ownLabel = h('span', { class: 'rl-label-text' });
  const ownPanel = h('div', { class: 'rl-tl-ownpanel', dataset: { control: 'own_text' } },
    h('label', { class: 'rl-control' }, ownLabel, ownArea), ownCount,
    h('label', { class: 'rl-control rl-tl-filelabel' }, ownFileLabel, ownFile), ownUse, ownPrivate);
  ownArea.value = storage.get(key('own_text')) ?? '';
  let saveOwnTimer = 0;
  ownArea.addEventListener('input', () => {
    ownCount.textContent = t('own_count', { n: int(ownArea.value.length) });
    clearTimeout(saveOwnTimer);
    saveOwnTimer = setTimeout(() => storage.set(key('own_text'), ownArea.value), 400);
  });
  ownFile.addEventListener('change', () => openTextFile());

  const tokensSel = ctl(select({ name: 'tokens', label: () => t('tokens'), value: cfg0.tokens, hide: hideSet,
    options: [opt('char', 'tokens_char'), opt('word', 'tokens_word')], onChange: (v) => apply({ tokens: v }, t('tokens'), t(`tokens_${v}`)) }));
  const heldSl = ctl(slider({ name: 'heldout', label: () => t('heldout'), min: 0.01, max: 0.5, step: 0.01, value: cfg0.heldout, hide: hideSet,
    format: (v) => `${Math.round(v * 100)}%`, onChange: (v) => apply({ heldout: v }, t('heldout'), `${Math.round(v * 100)}%`) }));
  const vocabSl = ctl(slider({ name: 'max_vocab', label: () => t('max_vocab'), min: 100, max: 10000, step: 100, value: cfg0.max_vocab, hide: hideSet,
    format: (v) => int(v), onChange: (v) => apply({ max_vocab: v }, t('max_vocab'), int(v)) }));
  const cellSel = ctl(select({ name: 'cell', label: () => t(widget.config().compare ? 'cell_compare' : 'cell'), value: cfg0.cell, hide: hideSet,
    options: [{ value: 'rnn', label: () => 'RNN' }, { value: 'lstm', label: () => 'LSTM' }, { value: 'gru', label: () => 'GRU' }],
    onChange: (v) => apply({ cell: v }, t('cell'), v.toUpperCase()) }));
  const actSel = ctl(select({ name: 'activation', label: () => t('activation'), value: cfg0.activation, hide: hideSet,
    options: ['tanh', 'relu', 'sigmoid', 'identity'].map((a) => ({ value: a, label: () => a })),
    onChange: (v) => apply({ activation: v }, t('activation'), v) }));
  const hiddenSl = ctl(slider({ name: 'hidden', label: () => t('hidden'), min: 8, max: 512, step: 8, value: cfg0.hidden, hide: hideSet,
    format: (v) => int(v), onChange: (v) => apply({ hidden: v }, t('hidden'), int(v)) }));
  const layersSel = ctl(select({ name: 'layers', label: () => t('layers'), value: String(cfg0.layers), hide: hideSet,
    options: [{ value: '1', label: () => '1' }, { value: '2', label: () => '2' }], onChange: (v) => apply({ layers: Number(v) }, t('layers'), v) }));
  const seqSl = ctl(slider({ name: 'seq_len', label: () => t('seq_len'), min: 5, max: 200, step: 5, value: cfg0.seq_len, hide: hideSet,
    format: (v) => int(v), onChange: (v) => apply({ seq_len: v, bptt_window: Math.min(widget.config().bptt_window, v) }, t('seq_len'), int(v)) }));
  const bpttSl = ctl(slider({ name: 'bptt_window', label: () => t('bptt_window'), min: 0, max: 200, step: 1, value: cfg0.bptt_window, hide: hideSet,
    format: (v) => int(v), onChange: (v) => apply({ bptt_window: Math.min(v, widget.config().seq_len) }, t('bptt_window'), int(Math.min(v, widget.config().seq_len))) }));
  const optSel = ctl(select({ name: 'optimizer', label: () => t('optimizer'), value: cfg0.optimizer, hide: hideSet,
    options: [{ value: 'sgd', label: () => 'SGD' }, { value: 'rmsprop', label: () => 'RMSProp' }, { value: 'adam', label: () => 'Adam' }],
    onChange: (v) => apply({ optimizer: v }, t('optimizer'), v) }));
  const lrSl = logSlider('lr', -4, 1, 0.05, 2);
  const clipTg = ctl(toggle({ name: 'clip', label: () => t('clip'), checked: cfg0.clip, hide: hideSet,
    onChange: (on) => apply({ clip: on }, t('clip'), on ? t('on') : t('off')) }));
  const thetaSl = logSlider('clip_threshold', -1, 3, 0.05, 2);
  const tfSl = ctl(slider({ name: 'teacher_forcing', label: () => t('teacher_forcing'), min: 0, max: 1, step: 0.05, value: cfg0.teacher_forcing, hide: hideSet,
    format: (v) => fmt(v, 2), onChange: (v) => apply({ teacher_forcing: v }, t('teacher_forcing'), fmt(v, 2)) }));
  const seedIn = h('input', { type: 'number', name: 'seed', min: 0, max: 4294967295, step: 1, value: cfg0.seed, class: 'rl-tl-seed' });
  const seedLabel = h('span', { class: 'rl-label-text' });
  const seedCtl = { el: h('label', { class: 'rl-control', dataset: { control: 'seed' }, hidden: hideSet.has('seed') }, seedLabel, seedIn),
    input: seedIn, refresh: () => { seedLabel.textContent = t('seed'); }, set: (v) => { seedIn.value = String(v); } };
  seedIn.addEventListener('change', () => {
    const v = Number(seedIn.value);
    if (!Number.isInteger(v) || v < 0 || v > 4294967295) {
      showError(() => t('err_setting', { message: `seed = ${seedIn.value}: a whole number 0…4294967295` }));
      seedIn.value = String(widget.config().seed);
      return;
    }
    apply({ seed: v }, t('seed'), String(v));
  });
  ctl(seedCtl);
  const compareTg = ctl(toggle({ name: 'compare', label: () => t('compare'), checked: cfg0.compare, hide: hideSet,
    onChange: (on) => apply({ compare: on, ...(on ? { pretrained: false } : {}) }, t('compare'), on ? t('on') : t('off')) }));
  const metricSel = ctl(select({ name: 'metric', label: () => t('metric'), value: cfg0.metric, hide: hideSet,
    options: [opt('loss', 'metric_loss'), opt('perplexity', 'metric_perplexity')], onChange: (v) => apply({ metric: v }, t('metric'), t(`metric_${v}`)) }));
  const saveBtn = button({ name: 'save', label: () => t('save'), onClick: () => saveModel() });
  const loadInput = h('input', { type: 'file', name: 'model_file', accept: '.json,application/json', class: 'rl-tl-file' });
  const loadLabel = h('span', { class: 'rl-label-text' });
  loadInput.addEventListener('change', () => openModelFile());
  const pretrainedBtn = button({ name: 'pretrained', label: () => t('pretrained'), hide: hideSet, onClick: () => loadPretrained() });
  const group = (k, ...children) => {
    const legend = h('legend');
    onLang(() => { legend.textContent = t(k); });
    return h('fieldset', { class: 'rl-group' }, legend, ...children);
  };
  shell.controls.append(
    group('g_data', dataSel.el, ownPanel, tokensSel.el, heldSl.el, vocabSl.el),
    group('g_model', cellSel.el, actSel.el, hiddenSl.el, layersSel.el, seqSl.el, bpttSl.el, compareTg.el),
    group('g_training', optSel.el, lrSl.el, clipTg.el, thetaSl.el, tfSl.el, seedCtl.el),
    group('g_charts', metricSel.el),
    h('fieldset', { class: 'rl-group', dataset: { control: 'model_file' }, hidden: hideSet.has('model_file') },
      (() => { const l = h('legend'); onLang(() => { l.textContent = t('g_file'); }); return l; })(),
      saveBtn.el, h('label', { class: 'rl-control rl-tl-filelabel' }, loadLabel, loadInput)),
  );
  toolbar.append(pretrainedBtn.el);

  // ---- below: equation, generation, exposure bias, credit -------------------------------------
  const math = h('div', { dataset: { control: 'math' }, hidden: hideSet.has('math') });
  renderMath(math, TEX).catch((e) => showError(() => e.message));

  const primeIn = h('input', { type: 'text', name: 'prime', class: 'rl-tl-prime-in', spellcheck: 'false' });
  const primeLabel = h('span', { class: 'rl-label-text' });
  let primeEdited = storage.get(key('prime')) !== null;
  primeIn.value = storage.get(key('prime')) ?? DEFAULT_PRIMES[cfg0.data];
  primeIn.addEventListener('input', () => { primeEdited = true; st.primed = false; storage.set(key('prime'), primeIn.value); });
  const tempSl = ctl(slider({ name: 'temperature', label: () => t('temperature'), min: 0.05, max: 3, step: 0.05, value: cfg0.temperature, hide: hideSet,
    format: (v) => fmt(v, 2), onChange: (v) => { apply({ temperature: v }, t('temperature'), fmt(v, 2)); refreshDist(); } }));
  const greedyTg = ctl(toggle({ name: 'greedy', label: () => t('greedy'), checked: cfg0.greedy, hide: hideSet,
    onChange: (on) => { apply({ greedy: on }, t('greedy'), on ? t('on') : t('off')); barsChart.redraw(); } }));
  const lenSl = ctl(slider({ name: 'gen_len', label: () => t('gen_len'), min: 10, max: 2000, step: 10, value: cfg0.gen_len, hide: hideSet,
    format: (v) => int(v), onChange: (v) => apply({ gen_len: v }, t('gen_len'), int(v)) }));
  const genBtn = button({ name: 'generate', label: () => t('generate'), kind: 'primary', onClick: () => generate() });
  const tokBtn = button({ name: 'next_token', label: () => t('next_token'), onClick: () => nextToken() });
  const stopBtn = button({ name: 'stop_gen', label: () => t('stop'), onClick: () => stopGen() });
  stopBtn.input.disabled = true;
  const outPrime = h('span', { class: 'rl-tl-out-prime' });
  const outGen = h('span', { class: 'rl-tl-out-gen' });
  const output = h('div', { class: 'rl-tl-output', 'aria-live': 'off', dataset: { output: 'generated' } }, outPrime, outGen);
  const drewText = h('p', { class: 'rl-hint rl-tl-drew' });
  const entropyText = h('p', { class: 'rl-tl-entropy' });
  const barsChart = createChart({
    label: () => t('bars_chart', { t: fmt(widget.config().temperature, 2), top: topText() }),
    draw: (c, s) => widget.drawBars(c, s),
    readout: (x, y) => {
      const b = widget.barAt(y);
      return b ? `${b.label}: p = ${fmt(b.p, 4)}` : null;
    },
    aspect: 0.8, minHeight: 360, maxHeight: 480,
    onError: (e) => showError(() => e.message),
  });
  barsChart.el.dataset.chart = 'bars';
  barsChart.el.hidden = true; // until there is a distribution to show
  const genTitle = h('h4', { class: 'rl-tl-h' });
  const genSection = h('section', { class: 'rl-tl-gen', dataset: { control: 'generate' }, hidden: hideSet.has('generate') },
    genTitle,
    h('div', { class: 'rl-tl-gen-grid' },
      h('div', { class: 'rl-tl-gen-left' },
        h('label', { class: 'rl-control' }, primeLabel, primeIn), tempSl.el, greedyTg.el, lenSl.el,
        h('div', { class: 'rl-tl-toolbar' }, genBtn.el, tokBtn.el, stopBtn.el), output, drewText),
      h('div', { class: 'rl-tl-gen-right' }, barsChart.el, entropyText)));

  const expTitle = h('h4', { class: 'rl-tl-h' });
  const expText = h('p', { class: 'rl-point' });
  const expBtn = button({ name: 'exposure_show', label: () => t('exposure_show'), onClick: () => exposure(false) });
  const expNext = button({ name: 'exposure_next', label: () => t('exposure_next'), onClick: () => exposure(true) });
  const expRows = h('div', { class: 'rl-tl-exp', dataset: { exposure: 'rows' } });
  const expSection = h('section', { class: 'rl-tl-exposure', dataset: { control: 'exposure' }, hidden: hideSet.has('exposure') },
    expTitle, expText, h('div', { class: 'rl-tl-toolbar' }, expBtn.el, expNext.el), expRows);

  const creditLink = h('a', { href: new URL('data/SOURCES.md', ROOT_URL).href, target: '_blank', rel: 'noopener' });
  const credit = h('p', { class: 'rl-hint rl-tl-credit' });
  const creditText = h('span');
  credit.append(creditText, ' ', creditLink);
  shell.below.append(math, genSection, expSection, credit);

  // ---- helpers ---------------------------------------------------------------------------------
  function fmtSig(v, digits = 3) {
    if (!Number.isFinite(v)) return String(v);
    if (v === 0) return '0';
    const p = Number(v.toPrecision(digits));
    return Math.abs(p) >= 1e4 || Math.abs(p) < 1e-3 ? p.toExponential(Math.max(0, digits - 1)).replace('+', '') : String(p);
  }
  function genRun() { return Math.max(0, st.runs.indexOf(widget.config().cell)); }
  function summaryText() {
    return widget.summary()
      .map((r) => `${r.cell}: ${t('runs_step')} ${int(r.step)}, ${t('runs_train')} ${num(r.recent_loss)}, ${t('runs_heldout')} ${num(r.heldout_teacher)}`)
      .join('; ');
  }
  function topText() {
    if (!st.dist) return '–';
    return [...st.dist.probs.keys()].sort((a, b) => st.dist.probs[b] - st.dist.probs[a]).slice(0, 3)
      .map((i) => `${visible(st.vocab[i] ?? '?')} ${fmt(100 * st.dist.probs[i], 1)}%`).join(', ');
  }

  function syncControls() {
    const c = widget.config();
    for (const k of all) {
      const name = k.input.name;
      if (name in c) k.set(name === 'layers' ? String(c[name]) : c[name]);
    }
    const own = c.data === 'own';
    ownPanel.hidden = !own || hideSet.has('own_text');
    vocabSl.el.hidden = c.tokens !== 'word' || hideSet.has('max_vocab');
    actSel.el.hidden = (c.cell !== 'rnn' && !c.compare) || hideSet.has('activation');
    thetaSl.el.hidden = !c.clip || hideSet.has('clip_threshold');
    cellSel.refresh();
  }

  function updateButtons() {
    const ready = st.built && !st.busy;
    const anyLive = st.runs.some((_, i) => !st.diverged[i]);
    playBtn.input.disabled = !ready || (!st.playing && !anyLive);
    playBtn.refresh();
    playBtn.input.setAttribute('aria-pressed', String(st.playing));
    stepBtn.input.disabled = !ready || !anyLive;
    resetBtn.input.disabled = Boolean(st.busy) && st.busy !== 'build';
    saveBtn.input.disabled = !ready;
    genBtn.input.disabled = !ready;
    tokBtn.input.disabled = !ready || st.genId !== null;
    expBtn.input.disabled = !ready;
    expNext.input.disabled = !ready;
    pretrainedBtn.input.disabled = st.busy === 'model';
  }

  function stateText() {
    if (st.busy === 'model' || st.busy === 'data') return t('state_loading');
    if (st.busy === 'build') return t('state_building');
    if (!st.built) return t('state_none');
    if (st.diverged.some(Boolean) && !st.playing) return t('state_diverged');
    return st.playing ? t('state_playing') : (st.steps.some((s) => s > 0) ? t('state_paused') : t('state_idle'));
  }

  function updateStatus() {
    const maxStep = st.steps.length ? Math.max(...st.steps) : 0;
    setText(status, t('status', { state: stateText(), step: int(maxStep), rate: int(st.playing ? st.rate : 0) }));
    status.dataset.state = st.playing ? 'playing' : (st.built ? 'paused' : 'none');
    status.dataset.step = String(maxStep);
    // For tests and scripts: none | busy | ready (a model exists and nothing is loading).
    shell.section.dataset.model = st.busy ? 'busy' : (st.built ? 'ready' : 'none');
    const c = widget.config();
    if (st.built) {
      const src = st.source === 'fresh' ? t('source_fresh', { seed: c.seed }) : t(`source_${st.source}`);
      setText(source, `${src} · ${t('vocab_info', { v: int(st.vocab.length), kind: t(`kind_${st.kind}`), train: int(st.trainTokens), held: int(st.heldoutTokens) })}`);
    } else {
      setText(source, '');
    }
    updateTable();
    updateButtons();
  }

  // The run table is rebuilt only when its shape (runs, language) changes; otherwise only the
  // cell texts are updated, which keeps the per-report main-thread work small.
  let tableKey = '';
  function updateTable() {
    const rows = widget.summary();
    const key = `${ctx.lang.get()}|${rows.map((r) => r.cell).join(',')}`;
    if (key !== tableKey) {
      tableKey = key;
      const head = h('tr', {}, ...['runs_model', 'runs_step', 'runs_train', 'runs_heldout', 'runs_free', 'runs_ppl'].map((k) => h('th', { scope: 'col', text: t(k) })));
      const body = rows.map((r) => h('tr', { dataset: { run: r.cell.toLowerCase() } },
        h('th', { scope: 'row' }, h('span', { class: 'rl-swatch', style: { background: st.runs.length > 1 ? colours[r.cell.toLowerCase()] : colours.train }, 'aria-hidden': 'true' }), ` ${r.cell}`),
        ...['step', 'train', 'heldout', 'free', 'ppl'].map((col) => h('td', { dataset: { col } }))));
      table.replaceChildren(h('thead', {}, head), h('tbody', {}, ...body));
    }
    const trs = table.tBodies[0].rows;
    rows.forEach((r, i) => {
      const values = {
        step: int(r.step),
        train: num(r.recent_loss),
        heldout: num(r.heldout_teacher),
        free: num(r.heldout_free),
        ppl: r.heldout_teacher === null ? '–' : fmtSig(Math.exp(r.heldout_teacher), 4),
      };
      for (const td of trs[i].cells) {
        const col = td.dataset.col;
        if (col && td.textContent !== values[col]) td.textContent = values[col];
      }
    });
  }

  function updateDiverged() {
    const c = widget.config();
    const bad = st.diverged.map((d, i) => (d ? { d, i } : null)).filter(Boolean);
    divPanel.hidden = bad.length === 0;
    if (!bad.length) return;
    divTitle.textContent = t('diverged_title');
    const paras = bad.map(({ d, i }) => h('p', { text: t('diverged_run', {
      cell: (st.runs[i] ?? '').toUpperCase(), step: int(d.step), what: t(`what_${d.what}`), norm: fmtSig(d.recent_max_grad_norm),
    }) }));
    const first = bad[0].d;
    paras.push(h('p', { text: first.clipping ? t('cause_clip', { theta: fmtSig(c.clip_threshold), lr: fmtSig(first.lr) }) : t('cause_noclip', { lr: fmtSig(first.lr) }) }));
    if (c.activation === 'relu' && bad.some(({ i }) => st.runs[i] === 'rnn')) paras.push(h('p', { text: t('cause_relu') }));
    divText.replaceChildren(...paras);
    const ck = bad.map(({ i }) => st.checkpoints[i]).filter((s) => Number.isFinite(s));
    restoreBtn.textContent = ck.length === bad.length ? t('restore', { step: int(Math.min(...ck)) }) : t('restore_fresh');
    saferLabel.textContent = t('safer', { cap: fmtSig(LR_CAP[c.optimizer]) });
  }

  // Chart redraws are coalesced into animation frames, the two charts in separate frames so that
  // no single main-thread task does both. User Timing entries "train_lab draw" and "train_lab
  // report" record the main-thread time of each draw and of each report from the worker.
  let drawFrame = 0;
  let gradFrame = 0;
  const timed = (fn) => {
    const t0 = performance.now();
    fn();
    performance.measure('train_lab draw', { start: t0 });
  };
  const scheduleDraw = () => {
    if (drawFrame) return;
    drawFrame = requestAnimationFrame(() => {
      drawFrame = 0;
      if (destroyed) return;
      timed(() => { lossChart.redraw(); lossChart.refresh(); });
      if (gradChart.el.hidden || gradFrame) return;
      gradFrame = requestAnimationFrame(() => {
        gradFrame = 0;
        if (!destroyed) timed(() => gradChart.redraw());
      });
    });
  };

  // ---- worker messages -------------------------------------------------------------------------
  function onReport(m) {
    const t0 = performance.now();
    for (const r of m.runs) {
      if (r.run >= st.runs.length) continue;
      try {
        if (r.packed.length) widget.pushReports(r.run, r.packed);
        for (const e of r.evals) widget.pushEval(r.run, e.step, e.teacher, e.free);
      } catch (e) {
        showError(() => e.message);
      }
      st.steps[r.run] = r.steps;
      const was = st.diverged[r.run];
      st.diverged[r.run] = r.diverged;
      st.checkpoints[r.run] = r.checkpoint;
      if (r.diverged && !was) say(`${t('diverged_title')}: ${(st.runs[r.run] ?? '').toUpperCase()}`);
    }
    st.playing = m.playing;
    st.rate = m.stepsPerSec;
    status.dataset.worker = m.playing ? 'playing' : 'stopped'; // as confirmed by the worker
    updateDiverged();
    updateStatus();
    scheduleDraw();
    performance.measure('train_lab report', { start: t0 });
  }

  function onProgress(m) {
    if (!st.busy) return;
    if (m.what === 'model') st.busy = 'model';
    const mb = (b) => (b / 1048576).toFixed(1);
    const frac = m.total ? m.loaded / m.total : 0;
    progress.set(frac, t('progress_bytes', {
      what: t(m.what === 'model' ? 'progress_model' : 'progress_data'), pct: Math.round(frac * 100), loaded: mb(m.loaded), total: m.total ? mb(m.total) : '?',
    }));
  }

  // ---- building and loading ----------------------------------------------------------------------
  function dataSpec(c) {
    if (c.data !== 'own') return { url: new URL(DATA_PATHS[c.data], ROOT_URL).href };
    const text = ownArea.value;
    if (!text.trim()) throw Object.assign(new Error(t('err_empty')), { name: 'Input' });
    if (text.length > MAX_OWN_CHARS) throw Object.assign(new Error(t('err_huge', { n: int(text.length), max: int(MAX_OWN_CHARS) })), { name: 'Input' });
    return { text };
  }

  let inputError = null;
  function showInputError(msg) {
    inputError?.remove();
    inputError = showError(() => msg);
  }

  function adoptModel(res, src) {
    widget.resetRuns(res.runs.map((r) => r.cell));
    widget.setVocab(res.vocab);
    st.runs = res.runs.map((r) => r.cell);
    st.steps = res.runs.map((r) => r.steps);
    st.diverged = st.runs.map(() => null);
    st.checkpoints = st.runs.map(() => NaN);
    st.vocab = res.vocab;
    st.kind = res.tokenKind;
    st.trainTokens = res.trainTokens;
    st.heldoutTokens = res.heldoutTokens;
    st.built = true;
    st.playing = false;
    st.source = src;
    st.primed = false;
    st.dist = null;
    st.drew = null;
    st.genId = null;
    st.exposure = null;
    outGen.textContent = '';
    outPrime.textContent = '';
    drewText.textContent = '';
    expRows.replaceChildren();
    inputError?.remove();
    inputError = null;
    widget.setDistribution(new Float32Array(0));
    barsChart.el.hidden = true;
    entropyText.textContent = t('gen_empty');
    updateDiverged();
    updateStatus();
    scheduleDraw();
    barsChart.redraw();
  }

  function busy(kind) {
    st.busy = kind;
    if (!kind) progress.done();
    else if (kind === 'model') progress.set(0, `${t('progress_model')}…`);
    updateStatus();
  }

  async function rebuild() {
    const c = widget.config();
    let data;
    try {
      data = dataSpec(c);
    } catch (e) {
      showInputError(e.message);
      updateStatus();
      return;
    }
    const token = ++st.buildToken;
    worker.postMessage({ type: 'pause' });
    busy('build');
    try {
      const res = await request({
        type: 'build', config: widget.trainConfig(), data, tokens: c.tokens, heldout: c.heldout, maxVocab: c.max_vocab, cells: widget.cells(),
      });
      if (token !== st.buildToken || destroyed) return;
      adoptModel(res, 'fresh');
    } catch (e) {
      if (token !== st.buildToken || destroyed || e.name === 'Superseded') return;
      if (e.name === 'AbortError') showInfo(() => t('cancelled'));
      else showInputError(t('err_build', { message: e.message }));
    } finally {
      if (token === st.buildToken) busy(null);
    }
  }

  let rebuildTimer = 0;
  const rebuildSoon = () => { clearTimeout(rebuildTimer); rebuildTimer = setTimeout(() => rebuild(), 250); };

  async function loadModel(model, src, onFail) {
    const c = widget.config();
    let data;
    try {
      data = dataSpec(c);
    } catch (e) {
      showInputError(e.message);
      onFail?.();
      return false;
    }
    const token = ++st.buildToken;
    worker.postMessage({ type: 'pause' });
    busy(model.url ? 'model' : 'build');
    try {
      const res = await request({ type: 'load', config: widget.trainConfig(), data, heldout: c.heldout, model });
      if (token !== st.buildToken || destroyed) return false;
      const mc = res.runs[0].config;
      widget.setConfig({
        ...widget.config(), cell: mc.cell, hidden: mc.hidden, layers: mc.layers, activation: mc.activation,
        tokens: res.tokenKind, compare: false, pretrained: src === 'pretrained', lang: ctx.lang.get(),
      });
      syncControls();
      ctx.save(widget.urlPairs(), widget.config());
      adoptModel(res, src);
      say(t('loaded_model', { cell: mc.cell.toUpperCase(), hidden: mc.hidden, layers: mc.layers }));
      return true;
    } catch (e) {
      if (token !== st.buildToken || destroyed || e.name === 'Superseded') return false;
      if (e.name === 'AbortError') showInfo(() => t('cancelled'));
      else showInputError(t('err_load', { message: e.message }));
      onFail?.();
      return false;
    } finally {
      if (token === st.buildToken) busy(null);
    }
  }

  async function loadPretrained() {
    const before = widget.config();
    try {
      widget.setConfig({ ...before, pretrained: true, data: 'shakespeare', tokens: 'char', compare: false, lang: ctx.lang.get() });
    } catch (e) {
      showError(() => t('err_setting', { message: e.message }));
      return;
    }
    syncControls();
    if (!primeEdited) primeIn.value = DEFAULT_PRIMES.shakespeare;
    const ok = await loadModel({ url: new URL(PRETRAINED_PATH, ROOT_URL).href }, 'pretrained', () => {
      widget.setConfig({ ...widget.config(), pretrained: false });
      syncControls();
    });
    ctx.save(widget.urlPairs(), widget.config());
    if (ok) generate();
  }

  async function openModelFile() {
    const file = loadInput.files?.[0];
    loadInput.value = '';
    if (!file) return;
    if (file.size > MAX_MODEL_FILE_MB * 1048576) {
      showInputError(t('err_file_big', { mb: (file.size / 1048576).toFixed(1), max: MAX_MODEL_FILE_MB }));
      return;
    }
    let json;
    try {
      json = await file.text();
    } catch (e) {
      showInputError(t('err_load', { message: e.message }));
      return;
    }
    await loadModel({ json }, 'file');
  }

  async function openTextFile() {
    const file = ownFile.files?.[0];
    ownFile.value = '';
    if (!file) return;
    if (file.size > MAX_TEXT_FILE_MB * 1048576) {
      showInputError(t('err_file_big', { mb: (file.size / 1048576).toFixed(1), max: MAX_TEXT_FILE_MB }));
      return;
    }
    try {
      ownArea.value = await file.text();
    } catch (e) {
      showInputError(e.message);
      return;
    }
    ownArea.dispatchEvent(new Event('input'));
    useOwnText();
  }

  function useOwnText() {
    storage.set(key('own_text'), ownArea.value);
    if (widget.config().data !== 'own') {
      apply({ data: 'own' }, t('data'), t('data_own'));
      return;
    }
    rebuild();
  }

  // ---- settings --------------------------------------------------------------------------------
  let applyError = null;
  function apply(change, what, valueText) {
    const prev = widget.config();
    const next = { ...prev, ...change, lang: ctx.lang.get() };
    const structural = Object.keys(change).some((k) => STRUCTURAL.has(k) && next[k] !== prev[k]
      && !(k === 'cell' && prev.compare && next.compare));
    if (structural) next.pretrained = false;
    try {
      widget.setConfig(next);
    } catch (e) {
      applyError?.remove();
      applyError = showError(() => t('err_setting', { message: e.message }));
      syncControls();
      return;
    }
    applyError?.remove();
    applyError = null;
    ctx.save(widget.urlPairs(), widget.config());
    syncControls();
    say(t('changed', { what, value: valueText }));
    if ('data' in change && !primeEdited) primeIn.value = DEFAULT_PRIMES[next.data];
    if (structural) {
      st.playing = false;
      if (next.data === 'own' && !ownArea.value.trim()) {
        ownPanel.hidden = false;
        ownArea.focus();
        showInputError(t('err_empty'));
        return;
      }
      rebuildSoon();
    } else if (Object.keys(change).some((k) => LIVE.has(k))) {
      const c = widget.config();
      request({ type: 'set', lr: c.lr, clip: c.clip, clip_threshold: c.clip_threshold, teacher_forcing: c.teacher_forcing })
        .catch((e) => showError(() => t('err_setting', { message: e.message })));
      scheduleDraw();
    } else if ('metric' in change || 'cell' in change) {
      st.primed = false;
      scheduleDraw();
    }
  }

  // ---- training --------------------------------------------------------------------------------
  function togglePlay() {
    if (!st.built || st.busy) return;
    st.playing = !st.playing;
    worker.postMessage({ type: st.playing ? 'play' : 'pause' });
    updateStatus();
    say(stateText());
  }

  function stepOnce() {
    if (!st.built || st.busy) return;
    st.playing = false;
    worker.postMessage({ type: 'step', n: 1 });
  }

  async function restore() {
    const bad = st.diverged.map((d, i) => (d ? i : -1)).filter((i) => i >= 0);
    if (!bad.length) return;
    if (safer.checked) {
      const c = widget.config();
      const lr = Math.max(1e-4, Math.min(LR_CAP[c.optimizer], Number(fmtSig(c.lr / 10, 2))));
      apply({ clip: true, clip_threshold: c.clip ? c.clip_threshold : 5, lr }, t('safer', { cap: fmtSig(LR_CAP[c.optimizer]) }), t('on'));
    }
    try {
      const res = await request({ type: 'restore', runs: bad });
      for (const s of res.steps) {
        widget.restored(s.run, s.step);
        st.diverged[s.run] = null;
        st.steps[s.run] = s.step;
      }
      st.primed = false;
      const step = Math.min(...res.steps.map((s) => s.step));
      say(t('restored', { step: int(step) }));
      updateDiverged();
      updateStatus();
      scheduleDraw();
    } catch {
      showInfo(() => t('no_checkpoint'));
      rebuild();
    }
  }

  // ---- generation --------------------------------------------------------------------------------
  function setDist(r) {
    st.dist = { probs: r.probs };
    barsChart.el.hidden = false;
    const e = widget.setDistribution(r.probs);
    entropyText.textContent = t('entropy', { h: fmt(e.entropy, 2), max: fmt(e.max_entropy, 2) });
    barsChart.redraw();
    barsChart.refresh();
  }

  async function prime() {
    const c = widget.config();
    const text = primeIn.value.length ? primeIn.value : (st.kind === 'word' ? st.vocab[1] ?? '' : st.vocab[0] ?? '');
    const r = await request({ type: 'prime', run: genRun(), text, seed: c.seed, temperature: c.temperature });
    outPrime.textContent = text;
    outGen.textContent = '';
    drewText.textContent = '';
    st.drew = null;
    st.primed = true;
    setDist(r);
  }

  const genFail = (e) => showError(() => t('err_gen', { message: e.message }));

  async function generate() {
    if (!st.built) return;
    stopGen();
    try {
      await prime();
    } catch (e) {
      genFail(e);
      return;
    }
    const c = widget.config();
    const id = nextId++;
    st.genId = id;
    stopBtn.input.disabled = false;
    updateButtons();
    worker.postMessage({ type: 'generate', id, run: genRun(), n: c.gen_len, temperature: c.temperature, greedy: c.greedy });
  }

  function onGen(m) {
    if (m.id !== st.genId) return;
    if (m.text) outGen.textContent += m.text;
    if (m.done) {
      output.dataset.done = String(Number(output.dataset.done ?? 0) + 1); // finished generations
      st.genId = null;
      stopBtn.input.disabled = true;
      updateButtons();
      if (m.probs) setDist(m);
      output.scrollTop = output.scrollHeight;
    }
  }

  function stopGen() {
    if (st.genId !== null) {
      worker.postMessage({ type: 'stopgen' });
      st.genId = null;
      stopBtn.input.disabled = true;
      updateButtons();
    }
  }

  async function nextToken() {
    if (!st.built || st.genId !== null) return;
    try {
      if (!st.primed) await prime();
      const c = widget.config();
      const r = await request({ type: 'token', run: genRun(), temperature: c.temperature, greedy: c.greedy });
      outGen.textContent += r.piece;
      st.drew = { token: visible(r.token === ' ' ? '␣' : r.token), p: fmt(r.p, 3), key: c.greedy ? 'drew_greedy' : 'drew' };
      drewText.textContent = t(st.drew.key, st.drew);
      setDist(r);
    } catch (e) {
      genFail(e);
    }
  }

  async function refreshDist() {
    barsChart.refresh();
    if (!st.built || !st.primed || st.genId !== null) return;
    try {
      setDist(await request({ type: 'dist', run: genRun(), temperature: widget.config().temperature }));
    } catch (e) {
      genFail(e);
    }
  }

  // ---- exposure bias -----------------------------------------------------------------------------
  async function exposure(another) {
    if (!st.built) return;
    stopGen();
    if (another) st.passage += 1;
    const word = st.kind === 'word';
    const len = word ? 30 : 90;
    try {
      const r = await request({ type: 'exposure', run: genRun(), offset: st.passage * len, len, prime: word ? 4 : 12 });
      st.primed = false;
      st.exposure = r.view;
      renderExposure();
    } catch (e) {
      genFail(e);
    }
  }

  function renderExposure() {
    const v = st.exposure;
    if (!v) return;
    const word = st.kind === 'word';
    const sep = word ? ' ' : '';
    const spans = (toks, truth) => toks.map((tok, i) => {
      const wrong = truth && tok !== truth[i];
      return h('span', { class: wrong ? 'rl-tl-wrong' : null, text: visible(tok) + sep });
    });
    const pct = (n, m) => `${Math.round((100 * n) / Math.max(1, m))}%`;
    const row = (label, toks, truth, acc, cls) => h('div', { class: `rl-tl-exp-row ${cls}` },
      h('span', { class: 'rl-tl-exp-label', text: label }),
      h('span', { class: 'rl-tl-exp-text' }, ...spans(toks, truth)),
      acc ? h('span', { class: 'rl-tl-exp-acc', text: acc }) : null);
    const m = v.truth.length;
    expRows.replaceChildren(
      row(t('exp_prime', { n: v.prime.length }), v.prime, null, null, 'rl-tl-exp-prime'),
      row(t('exp_truth'), v.truth, null, null, 'rl-tl-exp-truth'),
      row(t('exp_teacher'), v.teacher, v.truth, t('exp_acc', { n: v.teacher_correct, m, pct: pct(v.teacher_correct, m) }), 'rl-tl-exp-teacher'),
      row(t('exp_free'), v.free, v.truth, t('exp_acc', { n: v.free_correct, m, pct: pct(v.free_correct, m) }), 'rl-tl-exp-free'),
    );
  }

  // ---- save ----------------------------------------------------------------------------------------
  async function saveModel() {
    try {
      const r = await request({ type: 'save', run: genRun() });
      const c = widget.config();
      const name = `rnn-lab-${st.runs[genRun()]}-h${c.hidden}-${r.steps}steps.json`;
      const url = URL.createObjectURL(new Blob([r.json], { type: 'application/json' }));
      const a = h('a', { href: url, download: name, hidden: true });
      root.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      say(t('saved', { name }));
    } catch (e) {
      showError(() => t('err_load', { message: e.message }));
    }
  }

  // ---- language, first build ---------------------------------------------------------------------
  const refreshAll = () => {
    shell.refresh();
    for (const c of all) c.refresh();
    saveBtn.refresh();
    pretrainedBtn.refresh();
    genBtn.refresh();
    tokBtn.refresh();
    stopBtn.refresh();
    expBtn.refresh();
    expNext.refresh();
    resetBtn.refresh();
    stepBtn.refresh();
    for (const fn of refreshers) fn();
    ownLabel.textContent = t('own_text');
    ownArea.placeholder = t('own_placeholder');
    ownFileLabel.textContent = t('own_file');
    ownUse.textContent = t('own_use');
    ownCount.textContent = t('own_count', { n: int(ownArea.value.length) });
    ownPrivate.textContent = t('own_private');
    loadLabel.textContent = t('load');
    primeLabel.textContent = t('prime');
    primeIn.placeholder = DEFAULT_PRIMES[widget.config().data] || '…';
    keysHint.textContent = t('keys');
    genTitle.textContent = t('g_generate');
    expTitle.textContent = t('g_exposure');
    expText.textContent = t('exposure_text');
    creditText.textContent = t('credit');
    creditLink.textContent = t('credit_link');
    if (!st.dist) entropyText.textContent = t('gen_empty');
    else {
      const e = widget.setDistribution(st.dist.probs);
      entropyText.textContent = t('entropy', { h: fmt(e.entropy, 2), max: fmt(e.max_entropy, 2) });
    }
    if (st.drew) drewText.textContent = t(st.drew.key, st.drew);
    renderExposure();
    updateDiverged();
    updateStatus();
    lossChart.refresh();
    gradChart.refresh();
    barsChart.refresh();
  };
  syncControls();
  refreshAll();
  widget.setDistribution(new Float32Array(0));
  lossChart.redraw();
  gradChart.redraw();
  barsChart.redraw();
  ctx.track(widget.urlPairs(), widget.config());

  const unsubscribe = ctx.lang.subscribe((lang) => {
    try {
      widget.setConfig({ ...widget.config(), lang });
    } catch (e) {
      showError(() => e.message);
    }
    refreshAll();
    lossChart.redraw();
    gradChart.redraw();
    barsChart.redraw();
  });

  // First model: the pretrained one when the link asks for it, else a fresh one (own text only if
  // this tab still has it).
  if (cfg0.pretrained) {
    loadPretrained();
  } else if (cfg0.data === 'own' && !ownArea.value.trim()) {
    ownPanel.hidden = false;
    showInfo(() => t('own_needed'));
  } else {
    rebuild();
  }

  return {
    destroy() {
      destroyed = true;
      clearTimeout(rebuildTimer);
      clearTimeout(saveOwnTimer);
      cancelAnimationFrame(drawFrame);
      cancelAnimationFrame(gradFrame);
      worker.terminate();
      unsubscribe();
      unbindKeys();
      lossChart.destroy();
      gradChart.destroy();
      barsChart.destroy();
      widget.free();
      root.replaceChildren();
    },
  };
}
