//! The language-model trainer behind the training lab and the speed benchmark.
//!
//! One training step (char-rnn style):
//!
//! 1. take a window of T + 1 tokens at a seeded random offset of the training text;
//! 2. from the zero state, run the model over the first T tokens (inputs) against the next T
//!    (targets) — with teacher forcing, or feeding its own predictions with probability 1 − ρ
//!    (scheduled sampling, Bengio et al. 2015);
//! 3. cross-entropy summed (char-rnn) or averaged over the T steps; BPTT, full or truncated;
//! 4. the global gradient norm (always computed and reported), clipped when enabled;
//! 5. one optimiser update.
//!
//! Nothing is allocated per step once the buffers exist. A non-finite loss or gradient is not applied:
//! the trainer enters the *diverged* state, explains why, and can go back to the last checkpoint.

use super::optim::{OptimConfig, Optimizer, OptimizerKind};
use crate::core::activations::Activation;
use crate::core::error::{CoreError, Result};
use crate::core::grad::clip::{clip_grad_norm, ClipRule};
use crate::core::real::Real;
use crate::core::rng::Rng;
use crate::core::rnn::bptt::{
    backward_unchecked, forward_with, BackwardOptions, Gradients, LossReduction, SeqInput,
    Workspace,
};
use crate::core::rnn::model::{InitSpec, InputKind, Model, ModelSpec, State};
use crate::core::rnn::{CellKind, GruVariant, Input};
use serde::{Deserialize, Serialize};

/// Training settings. Flat, so that the same table drives the URL. Every field has a default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainConfig {
    /// Cell type. Default `lstm`.
    pub cell: CellKind,
    /// Hidden units H per layer, 1..=1024. Default 128.
    pub hidden: usize,
    /// Stacked layers, 1..=2. Default 1.
    pub layers: usize,
    /// Vanilla RNN nonlinearity. Default `tanh`.
    pub activation: Activation,
    /// Residual vanilla RNN. Default false.
    pub residual: bool,
    /// GRU convention. Default `lecture`.
    pub gru: GruVariant,
    /// Sequence length T per step, 1..=500. Default 50.
    pub seq_len: usize,
    /// Truncated-BPTT window k (0 = full BPTT), 0..=T. Default 0.
    pub bptt_window: usize,
    /// Optimiser. Default `rmsprop`.
    pub optimizer: OptimizerKind,
    /// Learning rate, (0, 10]. Default 0.002.
    pub lr: f64,
    /// RMSProp decay. Default 0.95.
    pub rms_decay: f64,
    /// Adam β₁. Default 0.9.
    pub beta1: f64,
    /// Adam β₂. Default 0.999.
    pub beta2: f64,
    /// ε of RMSProp/Adam. Default 1e-8.
    pub eps: f64,
    /// Clip the global gradient norm. Default true.
    pub clip: bool,
    /// Clipping threshold, (0, 1e6]. Default 5.
    pub clip_threshold: f64,
    /// Clipping rule. Default `lecture` (Algorithm 1).
    pub clip_rule: ClipRule,
    /// Loss reduction over the T steps. Default `sum` (char-rnn).
    pub reduction: LossReduction,
    /// Teacher-forcing ratio ρ ∈ [0, 1]: probability that step t > 0 reads the true previous token
    /// instead of the model's own sampled prediction. Default 1 (always teacher forcing).
    pub teacher_forcing: f64,
    /// Initial weights ~ U(±scale/√H). Default 1.
    pub init_scale: f64,
    /// LSTM forget-gate bias at initialisation. Default 1.
    pub forget_bias: f64,
    /// Steps between automatic checkpoints, 1..=100000. Default 100.
    pub checkpoint_every: u64,
    /// Seed of the initial weights, the data offsets and the sampling. Default 1.
    pub seed: u32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            cell: CellKind::Lstm,
            hidden: 128,
            layers: 1,
            activation: Activation::Tanh,
            residual: false,
            gru: GruVariant::Lecture,
            seq_len: 50,
            bptt_window: 0,
            optimizer: OptimizerKind::RmsProp,
            lr: 0.002,
            rms_decay: 0.95,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            clip: true,
            clip_threshold: 5.0,
            clip_rule: ClipRule::Lecture,
            reduction: LossReduction::Sum,
            teacher_forcing: 1.0,
            init_scale: 1.0,
            forget_bias: 1.0,
            checkpoint_every: 100,
            seed: 1,
        }
    }
}

impl TrainConfig {
    /// Checks every field against its range.
    pub fn validate(&self) -> Result<()> {
        let range = |what: &str, v: usize, lo: usize, hi: usize| {
            if v < lo || v > hi {
                Err(CoreError::invalid(
                    what,
                    format!("{v} is outside {lo}..={hi}"),
                ))
            } else {
                Ok(())
            }
        };
        range("hidden", self.hidden, 1, 1024)?;
        range("layers", self.layers, 1, 2)?;
        range("seq_len", self.seq_len, 1, 500)?;
        range("bptt_window", self.bptt_window, 0, self.seq_len)?;
        if !(self.lr.is_finite() && self.lr > 0.0 && self.lr <= 10.0) {
            return Err(CoreError::invalid("lr", "must be in (0, 10]"));
        }
        if !(self.clip_threshold.is_finite()
            && self.clip_threshold > 0.0
            && self.clip_threshold <= 1e6)
        {
            return Err(CoreError::invalid("clip_threshold", "must be in (0, 1e6]"));
        }
        if !(0.0..=1.0).contains(&self.teacher_forcing) {
            return Err(CoreError::invalid(
                "teacher_forcing",
                "must be between 0 and 1",
            ));
        }
        if !(self.init_scale.is_finite() && self.init_scale > 0.0 && self.init_scale <= 10.0) {
            return Err(CoreError::invalid("init_scale", "must be in (0, 10]"));
        }
        if !self.forget_bias.is_finite() || self.forget_bias.abs() > 20.0 {
            return Err(CoreError::invalid(
                "forget_bias",
                "must be between −20 and 20",
            ));
        }
        range(
            "checkpoint_every",
            self.checkpoint_every.min(usize::MAX as u64) as usize,
            1,
            100_000,
        )?;
        self.optim().validate()
    }

    /// The optimiser part.
    pub fn optim(&self) -> OptimConfig {
        OptimConfig {
            kind: self.optimizer,
            lr: self.lr,
            rms_decay: self.rms_decay,
            beta1: self.beta1,
            beta2: self.beta2,
            eps: self.eps,
        }
    }

    /// The model spec for a vocabulary of `vocab` tokens.
    pub fn model_spec(&self, vocab: usize) -> ModelSpec {
        ModelSpec {
            cell: self.cell,
            input: InputKind::OneHot,
            input_size: vocab,
            hidden: self.hidden,
            layers: self.layers,
            vocab,
            activation: self.activation,
            residual: self.residual,
            gru: self.gru,
        }
    }
}

impl crate::core::config::WidgetConfig for TrainConfig {
    fn validate(&self) -> Result<()> {
        TrainConfig::validate(self)
    }
}

/// What one training step did.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepReport {
    /// Steps done so far (this one included).
    pub step: u64,
    /// Mean cross-entropy per token of this window (nats), whatever the reduction.
    pub loss: f64,
    /// Global gradient norm before clipping (of the reduced loss).
    pub grad_norm: f64,
    /// Global gradient norm after clipping (equal to `grad_norm` when not clipped).
    pub grad_norm_after: f64,
    /// True when clipping rescaled the gradient.
    pub clipped: bool,
    /// False when the loss or the gradient was NaN or infinite (the update was not applied).
    pub finite: bool,
}

/// Why training stopped making sense.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Divergence {
    /// The step at which it was detected.
    pub step: u64,
    /// "loss" or "gradient": which quantity became non-finite first.
    pub what: String,
    /// The largest finite gradient norm seen in the last 20 steps (exploding gradients show here).
    pub recent_max_grad_norm: f64,
    /// Whether clipping was on.
    pub clipping: bool,
    /// The learning rate.
    pub lr: f64,
}

/// How inputs are chosen when measuring held-out loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EvalMode {
    /// Every step reads the true previous token.
    TeacherForcing,
    /// After the first token of each window, the model reads its own most likely prediction — the
    /// situation at generation time (exposure bias).
    FreeRunning,
}

#[derive(Clone, Debug)]
struct Checkpoint<F> {
    params: Vec<F>,
    optimizer: Optimizer<F>,
    step: u64,
    rng: Rng,
}

/// A model being trained on a token sequence.
#[derive(Clone, Debug)]
pub struct Trainer<F> {
    cfg: TrainConfig,
    /// The model being trained.
    pub model: Model<F>,
    optimizer: Optimizer<F>,
    ws: Workspace<F>,
    grads: Gradients<F>,
    rng: Rng,
    train: Vec<usize>,
    heldout: Vec<usize>,
    inputs: Vec<usize>,
    targets: Vec<usize>,
    zero: State<F>,
    eval_state: State<F>,
    step: u64,
    recent_norms: [f64; 20],
    checkpoint: Option<Checkpoint<F>>,
    diverged: Option<Divergence>,
}

impl<F: Real> Trainer<F> {
    /// A trainer with seeded random weights for a vocabulary of `vocab` tokens.
    pub fn new(
        cfg: TrainConfig,
        vocab: usize,
        train: Vec<usize>,
        heldout: Vec<usize>,
    ) -> Result<Self> {
        cfg.validate()?;
        let init = InitSpec {
            scale: cfg.init_scale,
            forget_bias: Some(cfg.forget_bias),
        };
        let model = Model::<F>::init(&cfg.model_spec(vocab), &init, cfg.seed as u64)?;
        Self::with_model(cfg, model, train, heldout)
    }

    /// A trainer that continues from an existing model (for example a loaded file).
    pub fn with_model(
        cfg: TrainConfig,
        model: Model<F>,
        train: Vec<usize>,
        heldout: Vec<usize>,
    ) -> Result<Self> {
        cfg.validate()?;
        let spec = model.spec();
        if spec.input != InputKind::OneHot || spec.input_size != spec.vocab {
            return Err(CoreError::invalid(
                "model",
                "a language model reads token ids of its own vocabulary",
            ));
        }
        if train.len() < cfg.seq_len + 1 {
            return Err(CoreError::invalid(
                "training text",
                format!(
                    "{} tokens is too short for sequences of {} (need at least {})",
                    train.len(),
                    cfg.seq_len,
                    cfg.seq_len + 1
                ),
            ));
        }
        let v = spec.vocab;
        if let Some(bad) = train.iter().chain(&heldout).find(|&&i| i >= v) {
            return Err(CoreError::invalid(
                "token id",
                format!("{bad} is outside the vocabulary 0..{v}"),
            ));
        }
        let optimizer = Optimizer::new(cfg.optim(), model.layout().len)?;
        let grads = Gradients::new(&model);
        let zero = model.zero_state();
        let mut t = Trainer {
            rng: Rng::fork(cfg.seed as u64, 0xDA7A),
            inputs: vec![0; cfg.seq_len],
            targets: vec![0; cfg.seq_len],
            eval_state: zero.clone(),
            zero,
            cfg,
            model,
            optimizer,
            ws: Workspace::new(),
            grads,
            train,
            heldout,
            step: 0,
            recent_norms: [0.0; 20],
            checkpoint: None,
            diverged: None,
        };
        // The starting weights are the first checkpoint, so a run that diverges in its first
        // steps (say, a huge learning rate) can go back to weights no bad update has touched.
        t.save_checkpoint();
        Ok(t)
    }

    /// The settings.
    pub fn config(&self) -> &TrainConfig {
        &self.cfg
    }
    /// Steps done.
    pub fn steps(&self) -> u64 {
        self.step
    }
    /// The divergence, when training has diverged.
    pub fn diverged(&self) -> Option<&Divergence> {
        self.diverged.as_ref()
    }
    /// The inputs and targets of the last training step's window (after scheduled sampling, the
    /// inputs the model actually read).
    pub fn last_window(&self) -> (&[usize], &[usize]) {
        (&self.inputs, &self.targets)
    }

    /// Number of training tokens.
    pub fn train_len(&self) -> usize {
        self.train.len()
    }
    /// The held-out token ids.
    pub fn heldout(&self) -> &[usize] {
        &self.heldout
    }

    /// The last gradient (after clipping) in the model's layout.
    pub fn gradient(&self) -> &[F] {
        &self.grads.params
    }

    /// Changes the learning rate (and other optimiser settings that keep the state's shape) without
    /// restarting.
    pub fn set_lr(&mut self, lr: f64) -> Result<()> {
        let mut c = self.cfg.clone();
        c.lr = lr;
        c.validate()?;
        self.cfg = c;
        self.optimizer.config.lr = lr;
        Ok(())
    }

    /// Turns clipping on or off and sets its threshold.
    pub fn set_clip(&mut self, on: bool, threshold: f64) -> Result<()> {
        let mut c = self.cfg.clone();
        c.clip = on;
        c.clip_threshold = threshold;
        c.validate()?;
        self.cfg = c;
        Ok(())
    }

    /// Sets the teacher-forcing ratio ρ ∈ [0, 1].
    pub fn set_teacher_forcing(&mut self, ratio: f64) -> Result<()> {
        let mut c = self.cfg.clone();
        c.teacher_forcing = ratio;
        c.validate()?;
        self.cfg = c;
        Ok(())
    }

    /// One training step (see the module docs). In the diverged state it does nothing and returns
    /// the divergence as an error.
    pub fn step(&mut self) -> Result<StepReport> {
        if let Some(d) = &self.diverged {
            return Err(CoreError::invalid(
                "training",
                format!(
                    "diverged at step {}; go back to a checkpoint or restart",
                    d.step
                ),
            ));
        }
        let t_len = self.cfg.seq_len;
        let off = self.rng.below(self.train.len() - t_len);
        self.inputs.copy_from_slice(&self.train[off..off + t_len]);
        self.targets
            .copy_from_slice(&self.train[off + 1..off + 1 + t_len]);
        let out = if self.cfg.teacher_forcing >= 1.0 {
            let inputs = &self.inputs;
            forward_with(
                &self.model,
                &mut self.ws,
                t_len,
                |t, _| Input::Id(inputs[t]),
                Some(&self.targets),
                &self.zero,
            )
        } else {
            // Scheduled sampling: with probability 1 − ρ, step t reads a token sampled from ŷ_{t−1}.
            // The chosen inputs are recorded so that BPTT sees exactly what the forward pass read.
            let rho = self.cfg.teacher_forcing;
            let (rng, inputs) = (&mut self.rng, &mut self.inputs);
            forward_with(
                &self.model,
                &mut self.ws,
                t_len,
                |t, prev| {
                    if let Some(p) = prev {
                        if rng.next_f64() >= rho {
                            if let Some(k) = rng.categorical(p) {
                                inputs[t] = k;
                            }
                        }
                    }
                    Input::Id(inputs[t])
                },
                Some(&self.targets),
                &self.zero,
            )
        };
        self.step += 1;
        if !out.finite {
            return Ok(self.diverge("loss", out.mean_loss));
        }
        self.grads.zero();
        let bopts = BackwardOptions {
            reduction: self.cfg.reduction,
            window: if self.cfg.bptt_window == 0 {
                None
            } else {
                Some(self.cfg.bptt_window)
            },
            grad_flow: false,
        };
        backward_unchecked(
            &self.model,
            &mut self.ws,
            SeqInput::Ids(&self.inputs),
            &self.targets,
            &bopts,
            &mut self.grads,
        );
        let threshold = if self.cfg.clip {
            self.cfg.clip_threshold
        } else {
            f64::INFINITY
        };
        let rep = clip_grad_norm(&mut self.grads.params, threshold, self.cfg.clip_rule);
        if !rep.finite {
            return Ok(self.diverge("gradient", out.mean_loss));
        }
        self.recent_norms[(self.step % 20) as usize] = rep.norm_before;
        self.optimizer
            .step(&mut self.model.params, &self.grads.params)?;
        if self.step % self.cfg.checkpoint_every == 0 || self.checkpoint.is_none() {
            self.save_checkpoint();
        }
        Ok(StepReport {
            step: self.step,
            loss: out.mean_loss,
            grad_norm: rep.norm_before,
            grad_norm_after: rep.norm_after,
            clipped: rep.clipped,
            finite: true,
        })
    }

    fn diverge(&mut self, what: &str, loss: f64) -> StepReport {
        let recent = self
            .recent_norms
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        self.diverged = Some(Divergence {
            step: self.step,
            what: what.into(),
            recent_max_grad_norm: recent,
            clipping: self.cfg.clip,
            lr: self.cfg.lr,
        });
        StepReport {
            step: self.step,
            loss,
            grad_norm: f64::NAN,
            grad_norm_after: f64::NAN,
            clipped: false,
            finite: false,
        }
    }

    /// Saves the current weights and optimiser state as the checkpoint to return to.
    pub fn save_checkpoint(&mut self) {
        if !self.model.is_finite() {
            return;
        }
        match &mut self.checkpoint {
            Some(c) => {
                c.params.copy_from_slice(&self.model.params);
                c.optimizer.copy_from(&self.optimizer);
                c.step = self.step;
                c.rng.clone_from(&self.rng);
            }
            None => {
                self.checkpoint = Some(Checkpoint {
                    params: self.model.params.clone(),
                    optimizer: self.optimizer.clone(),
                    step: self.step,
                    rng: self.rng.clone(),
                })
            }
        }
    }

    /// Goes back to the last checkpoint (clearing the diverged state): its weights, optimiser state,
    /// step count and data position; the current settings (learning rate, clipping, …) are kept.
    /// Returns its step number.
    pub fn restore_checkpoint(&mut self) -> Result<u64> {
        let c = self
            .checkpoint
            .as_ref()
            .ok_or_else(|| CoreError::invalid("checkpoint", "there is none yet"))?;
        self.model.params.copy_from_slice(&c.params);
        self.optimizer.copy_from(&c.optimizer);
        // A checkpoint holds weights and optimiser *state*; the settings in force now (a learning
        // rate lowered after a divergence, say) stay.
        self.optimizer.config = self.cfg.optim();
        self.step = c.step;
        self.rng = c.rng.clone();
        self.diverged = None;
        Ok(c.step)
    }

    /// The step of the last checkpoint.
    pub fn checkpoint_step(&self) -> Option<u64> {
        self.checkpoint.as_ref().map(|c| c.step)
    }

    /// Mean cross-entropy per token (nats) on the first `max_tokens` held-out tokens, in windows of T
    /// with the state carried across windows. `None` when there is no held-out text.
    pub fn heldout_loss(&mut self, max_tokens: usize, mode: EvalMode) -> Option<f64> {
        let n = self.heldout.len().min(max_tokens.saturating_add(1));
        if n < 2 {
            return None;
        }
        let t_len = self.cfg.seq_len;
        for l in 0..self.eval_state.h.len() {
            self.eval_state.h[l].iter_mut().for_each(|v| *v = F::zero());
            self.eval_state.c[l].iter_mut().for_each(|v| *v = F::zero());
        }
        let (mut sum, mut count) = (0.0, 0usize);
        let mut s = 0;
        while s + 1 < n {
            let e = (s + t_len).min(n - 1);
            let len = e - s;
            let held = &self.heldout;
            let out = match mode {
                EvalMode::TeacherForcing => forward_with(
                    &self.model,
                    &mut self.ws,
                    len,
                    |t, _| Input::Id(held[s + t]),
                    Some(&held[s + 1..e + 1]),
                    &self.eval_state,
                ),
                EvalMode::FreeRunning => forward_with(
                    &self.model,
                    &mut self.ws,
                    len,
                    |t, prev| match prev {
                        None => Input::Id(held[s + t]),
                        Some(p) => Input::Id(super::sample::argmax(p).unwrap_or(0)),
                    },
                    Some(&held[s + 1..e + 1]),
                    &self.eval_state,
                ),
            };
            sum += out.sum_loss;
            count += len;
            self.ws.final_state_into(&mut self.eval_state);
            s = e;
        }
        Some(sum / count as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy(len: usize) -> Vec<usize> {
        // "abcabd…": a pattern a model can learn.
        (0..len).map(|i| [0, 1, 2, 0, 1, 3][i % 6]).collect()
    }

    #[test]
    fn config_validation() {
        assert!(TrainConfig::default().validate().is_ok());
        for bad in [
            TrainConfig {
                hidden: 0,
                ..Default::default()
            },
            TrainConfig {
                lr: 0.0,
                ..Default::default()
            },
            TrainConfig {
                lr: f64::NAN,
                ..Default::default()
            },
            TrainConfig {
                bptt_window: 60,
                ..Default::default()
            },
            TrainConfig {
                teacher_forcing: 1.5,
                ..Default::default()
            },
            TrainConfig {
                layers: 3,
                ..Default::default()
            },
        ] {
            assert!(bad.validate().is_err(), "{bad:?}");
        }
        let e = Trainer::<f32>::new(TrainConfig::default(), 4, toy(10), vec![]).unwrap_err();
        assert!(e.to_string().contains("too short"), "{e}");
        let e = Trainer::<f32>::new(
            TrainConfig {
                seq_len: 5,
                ..Default::default()
            },
            3,
            toy(60),
            vec![],
        )
        .unwrap_err();
        assert!(e.to_string().contains("outside the vocabulary"), "{e}");
    }

    #[test]
    fn the_starting_weights_are_the_first_checkpoint() {
        // A ReLU RNN with SGD at lr 10 and no clipping: the first update already ruins the
        // weights, so the checkpoint to go back to must be the one taken before any update.
        let cfg = TrainConfig {
            cell: CellKind::Rnn,
            activation: Activation::Relu,
            hidden: 8,
            seq_len: 20,
            lr: 10.0,
            optimizer: OptimizerKind::Sgd,
            clip: false,
            init_scale: 3.0,
            ..Default::default()
        };
        let mut tr = Trainer::<f32>::new(cfg, 4, toy(400), vec![]).unwrap();
        let start = tr.model.params.clone();
        assert_eq!(tr.checkpoint_step(), Some(0));
        tr.step().unwrap();
        assert_eq!(
            tr.checkpoint_step(),
            Some(0),
            "step 1 is not a checkpoint (every 100)"
        );
        assert_eq!(tr.restore_checkpoint().unwrap(), 0);
        assert_eq!(tr.model.params, start);
        assert_eq!(tr.steps(), 0);
    }

    #[test]
    fn settings_changed_before_going_back_stay_in_force() {
        // Diverge with lr 10 and no clipping, lower the learning rate and turn clipping on, then go
        // back: the run must continue exactly like a fresh run started with the safer settings.
        let wild = TrainConfig {
            cell: CellKind::Rnn,
            activation: Activation::Relu,
            hidden: 8,
            seq_len: 20,
            lr: 10.0,
            optimizer: OptimizerKind::Sgd,
            clip: false,
            init_scale: 3.0,
            ..Default::default()
        };
        let safe = TrainConfig {
            lr: 0.05,
            clip: true,
            ..wild.clone()
        };
        let mut tr = Trainer::<f32>::new(wild, 4, toy(400), vec![]).unwrap();
        while tr.step().unwrap().finite {}
        tr.set_lr(0.05).unwrap();
        tr.set_clip(true, 5.0).unwrap();
        assert_eq!(tr.restore_checkpoint().unwrap(), 0);
        let mut fresh = Trainer::<f32>::new(safe, 4, toy(400), vec![]).unwrap();
        for _ in 0..30 {
            assert_eq!(tr.step().unwrap(), fresh.step().unwrap());
        }
        assert_eq!(tr.model.params, fresh.model.params);
    }

    #[test]
    fn divergence_is_detected_and_checkpoint_restores() {
        let cfg = TrainConfig {
            cell: CellKind::Rnn,
            activation: Activation::Identity,
            hidden: 8,
            seq_len: 20,
            lr: 10.0,
            optimizer: OptimizerKind::Sgd,
            clip: false,
            init_scale: 3.0,
            checkpoint_every: 1,
            ..Default::default()
        };
        let mut tr = Trainer::<f32>::new(cfg, 4, toy(400), vec![]).unwrap();
        let mut diverged_at = None;
        for _ in 0..200 {
            let r = tr.step().unwrap();
            if !r.finite {
                diverged_at = Some(r.step);
                break;
            }
        }
        let at = diverged_at.expect("an identity RNN with lr 10 and no clipping must diverge");
        assert!(at > 1, "diverged on the first step");
        assert!(tr.diverged().is_some());
        assert!(tr.step().is_err());
        let back = tr.restore_checkpoint().unwrap();
        assert!(back < at);
        assert!(tr.model.is_finite());
        assert!(tr.diverged().is_none());
    }
}
