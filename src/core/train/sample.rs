//! Generating text from a language model: the state is carried from token to token, and each next
//! token is drawn from softmax(logits / τ) (temperature τ) or taken greedily (argmax).
//!
//! ```text
//! p_τ(k) = exp(z_k / τ) / Σ_j exp(z_j / τ)        τ → 0: argmax;  τ = 1: the model;  τ → ∞: uniform
//! H(p)   = −Σ_k p_k log p_k                       entropy in nats (÷ ln 2 for bits)
//! ```

use crate::core::error::{CoreError, Result};
use crate::core::real::Real;
use crate::core::rng::Rng;
use crate::core::rnn::bptt::softmax_into;
use crate::core::rnn::model::{Model, State};
use crate::core::rnn::{Input, StepCache};

/// softmax(logits / τ) into `probs`. τ must be positive and finite.
pub fn softmax_temperature<F: Real>(logits: &[F], temperature: f64, probs: &mut [F]) -> Result<()> {
    if !(temperature.is_finite() && temperature > 0.0) {
        return Err(CoreError::invalid(
            "temperature",
            "must be a positive number",
        ));
    }
    let inv = F::c(1.0 / temperature);
    let mx = logits.iter().copied().fold(F::neg_infinity(), F::max);
    let mut sum = F::zero();
    for (p, z) in probs.iter_mut().zip(logits) {
        *p = ((*z - mx) * inv).exp();
        sum += *p;
    }
    for p in probs.iter_mut() {
        *p /= sum;
    }
    Ok(())
}

/// Entropy −Σ p log p in nats (terms with p = 0 contribute 0).
pub fn entropy<F: Real>(probs: &[F]) -> f64 {
    probs
        .iter()
        .map(|p| p.f64())
        .filter(|p| *p > 0.0)
        .map(|p| -p * p.ln())
        .sum()
}

/// Index of the largest value (the first one on ties); `None` for an empty slice or NaN values.
pub fn argmax<F: Real>(v: &[F]) -> Option<usize> {
    let mut best: Option<(usize, F)> = None;
    for (i, x) in v.iter().enumerate() {
        if x.is_nan() {
            return None;
        }
        if best.is_none_or(|(_, b)| *x > b) {
            best = Some((i, *x));
        }
    }
    best.map(|(i, _)| i)
}

/// How the next token is chosen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Decode {
    /// The most probable token.
    Greedy,
    /// A draw from softmax(logits / τ).
    Sample {
        /// τ > 0.
        temperature: f64,
    },
}

/// Carries a model's state from token to token without allocating.
#[derive(Clone, Debug)]
pub struct Generator<F> {
    caches: Vec<[StepCache<F>; 2]>,
    cur: usize,
    started: bool,
    start: State<F>,
    /// logits of the last fed token, (V).
    pub logits: Vec<F>,
    /// probabilities of the last [`Generator::distribution`] call, (V).
    pub probs: Vec<F>,
}

impl<F: Real> Generator<F> {
    /// A generator at the zero state.
    pub fn new(model: &Model<F>) -> Self {
        let caches = model
            .cells()
            .iter()
            .map(|c| [c.new_cache(), c.new_cache()])
            .collect();
        let v = model.spec().vocab;
        Generator {
            caches,
            cur: 0,
            started: false,
            start: model.zero_state(),
            logits: vec![F::zero(); v],
            probs: vec![F::zero(); v],
        }
    }

    /// Goes back to the zero state.
    pub fn reset(&mut self) {
        self.started = false;
        for l in 0..self.start.h.len() {
            self.start.h[l].iter_mut().for_each(|v| *v = F::zero());
            self.start.c[l].iter_mut().for_each(|v| *v = F::zero());
        }
    }

    /// The current hidden state of `layer` (zeros before the first token).
    pub fn h(&self, layer: usize) -> &[F] {
        if self.started {
            &self.caches[layer][self.cur].h
        } else {
            &self.start.h[layer]
        }
    }

    /// The last step's cache of `layer` (gate values, c), once a token was fed.
    pub fn cache(&self, layer: usize) -> Option<&StepCache<F>> {
        self.started.then(|| &self.caches[layer][self.cur])
    }

    /// Feeds token `id` (must be < D): advances the state and fills `self.logits`.
    pub fn feed(&mut self, model: &Model<F>, id: usize) -> Result<()> {
        if id >= model.spec().input_size {
            return Err(CoreError::invalid(
                "token",
                format!(
                    "{id} is outside the vocabulary 0..{}",
                    model.spec().input_size
                ),
            ));
        }
        let next = 1 - self.cur;
        for (l, cell) in model.cells().iter().enumerate() {
            let (lower, upper) = self.caches.split_at_mut(l);
            let [a, b] = &mut upper[0];
            let (prev, out) = if next == 1 { (&*a, b) } else { (&*b, a) };
            let (h_prev, c_prev): (&[F], &[F]) = if self.started {
                (&prev.h, &prev.c)
            } else {
                (&self.start.h[l], &self.start.c[l])
            };
            let x = if l == 0 {
                Input::Id(id)
            } else {
                Input::Dense(&lower[l - 1][next].h)
            };
            cell.step_forward(&model.params, x, h_prev, c_prev, out);
        }
        self.cur = next;
        self.started = true;
        let top = model.cells().len() - 1;
        model.readout().logits(
            &model.params,
            &self.caches[top][self.cur].h,
            &mut self.logits,
        );
        Ok(())
    }

    /// The next-token distribution at temperature τ (fills and returns `self.probs`).
    pub fn distribution(&mut self, temperature: f64) -> Result<&[F]> {
        softmax_temperature(&self.logits, temperature, &mut self.probs)?;
        Ok(&self.probs)
    }

    /// Picks the next token from the last logits.
    pub fn choose(&mut self, decode: Decode, rng: &mut Rng) -> Result<usize> {
        match decode {
            Decode::Greedy => {
                softmax_into(&self.logits, &mut self.probs);
                argmax(&self.logits).ok_or_else(|| CoreError::non_finite("logits"))
            }
            Decode::Sample { temperature } => {
                softmax_temperature(&self.logits, temperature, &mut self.probs)?;
                rng.categorical(&self.probs)
                    .ok_or_else(|| CoreError::non_finite("probabilities"))
            }
        }
    }

    /// Feeds `prime` (at least one token), then generates `n` tokens; returns them.
    pub fn generate(
        &mut self,
        model: &Model<F>,
        prime: &[usize],
        n: usize,
        decode: Decode,
        rng: &mut Rng,
    ) -> Result<Vec<usize>> {
        if prime.is_empty() {
            return Err(CoreError::empty("priming text"));
        }
        for &id in prime {
            self.feed(model, id)?;
        }
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let id = self.choose(decode, rng)?;
            out.push(id);
            self.feed(model, id)?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rnn::bptt::{forward, SeqInput, Workspace};
    use crate::core::rnn::model::{InitSpec, ModelSpec};

    #[test]
    fn temperature_and_entropy_by_hand() {
        // logits (ln 1, ln 3) → p = (1/4, 3/4); at τ = 1/2 → (1, 9)/10.
        let z = [0.0f64, 3f64.ln()];
        let mut p = [0.0; 2];
        softmax_temperature(&z, 1.0, &mut p).unwrap();
        assert!((p[0] - 0.25).abs() < 1e-15);
        softmax_temperature(&z, 0.5, &mut p).unwrap();
        assert!((p[0] - 0.1).abs() < 1e-15 && (p[1] - 0.9).abs() < 1e-15);
        assert!(softmax_temperature(&z, 0.0, &mut p).is_err());
        // Uniform over 4: entropy ln 4; a point mass: 0.
        assert!((entropy(&[0.25f64; 4]) - 4f64.ln()).abs() < 1e-15);
        assert_eq!(entropy(&[0.0f64, 1.0]), 0.0);
        assert_eq!(argmax(&[1.0f64, 3.0, 3.0]), Some(1));
        assert_eq!(argmax::<f64>(&[]), None);
    }

    #[test]
    fn generator_state_matches_the_sequence_forward() {
        let spec = ModelSpec {
            hidden: 5,
            input_size: 4,
            vocab: 4,
            layers: 2,
            ..Default::default()
        };
        let m = Model::<f64>::init(&spec, &InitSpec::default(), 3).unwrap();
        let ids = [1, 3, 0, 2, 2];
        let mut ws = Workspace::new();
        forward(&m, &mut ws, SeqInput::Ids(&ids), None, &m.zero_state()).unwrap();
        let mut g = Generator::new(&m);
        for (t, &id) in ids.iter().enumerate() {
            g.feed(&m, id).unwrap();
            assert_eq!(g.h(1), &ws.steps[1][t].h[..]);
            assert_eq!(&g.logits[..], ws.logits_at(t));
        }
        assert!(g.feed(&m, 9).is_err());
        let mut rng = Rng::new(1);
        let a = g
            .clone()
            .generate(
                &m,
                &[1],
                20,
                Decode::Sample { temperature: 1.0 },
                &mut rng.clone(),
            )
            .unwrap();
        let b = g
            .generate(&m, &[1], 20, Decode::Sample { temperature: 1.0 }, &mut rng)
            .unwrap();
        assert_eq!(a, b);
        assert!(a.iter().all(|&i| i < 4));
    }
}
