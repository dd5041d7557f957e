//! Exposure bias, shown on one passage of held-out text.
//!
//! A language model trained with teacher forcing only ever reads *true* previous tokens. At
//! generation time it reads its own predictions instead, so one early mistake puts it in a state it
//! never saw in training, and mistakes compound (Bengio et al. 2015, "Scheduled Sampling for
//! Sequence Prediction with Recurrent Neural Networks"; Ranzato et al. 2016 name it *exposure bias*).
//!
//! [`exposure_view`] predicts the same passage twice, greedily (argmax):
//!
//! ```text
//! teacher forcing:  ŷ_t = argmax p(· | x_1 … x_{t−1})          (true prefix, every t)
//! free running:     ŷ_t = argmax p(· | x_1 … x_P, ŷ_{P+1} … ŷ_{t−1})   (true only for the P prime tokens)
//! ```
//!
//! and reports, for the positions after the prime, how many predictions equal the true token. The
//! held-out losses measured in the two modes live in `Trainer::heldout_loss`.

use super::sample::{argmax, Generator};
use crate::core::error::{CoreError, Result};
use crate::core::real::Real;
use crate::core::rnn::model::Model;
use serde::Serialize;

/// The two greedy predictions of one passage (token ids).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExposureView {
    /// The P prime tokens (read by both modes).
    pub prime: Vec<usize>,
    /// The true tokens after the prime, (N).
    pub truth: Vec<usize>,
    /// Teacher-forced predictions of those N positions.
    pub teacher: Vec<usize>,
    /// Free-running predictions of those N positions.
    pub free: Vec<usize>,
    /// How many of `teacher` equal `truth`.
    pub teacher_correct: usize,
    /// How many of `free` equal `truth`.
    pub free_correct: usize,
}

/// Predicts `ids[prime..]` with teacher forcing and free running (see the module docs), using
/// `gen`'s buffers (it is reset first and left in the free-running state).
pub fn exposure_view<F: Real>(
    model: &Model<F>,
    gen: &mut Generator<F>,
    ids: &[usize],
    prime: usize,
) -> Result<ExposureView> {
    if prime == 0 || prime >= ids.len() {
        return Err(CoreError::invalid(
            "prime",
            format!(
                "needs 1 ≤ prime < passage length ({} tokens), got {prime}",
                ids.len()
            ),
        ));
    }
    let pick = |g: &Generator<F>| argmax(&g.logits).ok_or_else(|| CoreError::non_finite("logits"));
    // Teacher forcing: after reading the true x_t, predict x_{t+1}.
    gen.reset();
    let mut teacher = Vec::with_capacity(ids.len() - prime);
    for (t, &id) in ids[..ids.len() - 1].iter().enumerate() {
        gen.feed(model, id)?;
        if t + 1 >= prime {
            teacher.push(pick(gen)?);
        }
    }
    // Free running: the true prime, then the model's own argmax predictions.
    gen.reset();
    for &id in &ids[..prime] {
        gen.feed(model, id)?;
    }
    let mut free = Vec::with_capacity(ids.len() - prime);
    for _ in prime..ids.len() {
        let next = pick(gen)?;
        free.push(next);
        gen.feed(model, next)?;
    }
    let truth = ids[prime..].to_vec();
    let count = |p: &[usize]| p.iter().zip(&truth).filter(|(a, b)| a == b).count();
    Ok(ExposureView {
        prime: ids[..prime].to_vec(),
        teacher_correct: count(&teacher),
        free_correct: count(&free),
        truth,
        teacher,
        free,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::activations::Activation;
    use crate::core::rnn::model::ModelSpec;
    use crate::core::rnn::CellKind;

    /// A hand-built "successor" RNN over V = 4 tokens: W_x = 5·I and W_h = 0 make h ≈ tanh(5)·e_x,
    /// and U[k+1 mod 4][k] = 10 makes the argmax prediction (x + 1) mod 4 whatever came before.
    fn successor() -> Model<f64> {
        let spec = ModelSpec {
            cell: CellKind::Rnn,
            activation: Activation::Tanh,
            hidden: 4,
            input_size: 4,
            vocab: 4,
            layers: 1,
            ..Default::default()
        };
        let mut m = Model::<f64>::zeros(&spec).unwrap();
        let mut wx = [0.0; 16];
        let mut u = [0.0; 16];
        for k in 0..4 {
            wx[k * 4 + k] = 5.0;
            u[((k + 1) % 4) * 4 + k] = 10.0;
        }
        m.set_tensor("l0.w_x", &wx).unwrap();
        m.set_tensor("readout.w", &u).unwrap();
        m
    }

    #[test]
    fn successor_model_worked_by_hand() {
        let m = successor();
        let mut g = Generator::new(&m);
        // Passage 0 1 3 3 0 2 with prime P = 2 (tokens 0, 1); positions 2..6 are scored.
        // Teacher forcing predicts succ(true previous): succ(1, 3, 3, 0) = 2, 0, 0, 1 → one right
        // (truth 3, 3, 0, 2: the third, 0 = 0).
        // Free running predicts succ of its own last output: 2, 3, 0, 1 → right at positions
        // 3 and 4 (3 = 3, 0 = 0).
        let v = exposure_view(&m, &mut g, &[0, 1, 3, 3, 0, 2], 2).unwrap();
        assert_eq!(v.prime, [0, 1]);
        assert_eq!(v.truth, [3, 3, 0, 2]);
        assert_eq!(v.teacher, [2, 0, 0, 1]);
        assert_eq!(v.free, [2, 3, 0, 1]);
        assert_eq!((v.teacher_correct, v.free_correct), (1, 2));
        // On a passage the model knows (0 1 2 3 0 1), teacher forcing is always right, and so is
        // free running, because its own predictions are the true tokens.
        let v = exposure_view(&m, &mut g, &[0, 1, 2, 3, 0, 1], 1).unwrap();
        assert_eq!((v.teacher_correct, v.free_correct), (5, 5));
    }

    #[test]
    fn bad_prime_is_an_error() {
        let m = successor();
        let mut g = Generator::new(&m);
        assert!(exposure_view(&m, &mut g, &[0, 1, 2], 0).is_err());
        assert!(exposure_view(&m, &mut g, &[0, 1, 2], 3).is_err());
        assert!(exposure_view(&m, &mut g, &[0, 9, 2], 1).is_err());
    }
}
