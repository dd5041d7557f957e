//! A recurrent language model: 1–4 stacked cells and a softmax readout, all weights in one flat buffer.
//!
//! ```text
//! h⁽¹⁾_t = cell₁(x_t, h⁽¹⁾_{t−1})           layer 1 reads the input (one-hot id or dense vector)
//! h⁽ˡ⁾_t = cellₗ(h⁽ˡ⁻¹⁾_t, h⁽ˡ⁾_{t−1})       layer l reads the layer below
//! logits_t = U h⁽ᴸ⁾_t + b_U                   (V,)   readout.w (V, H), readout.b (V)
//! ŷ_t = softmax(logits_t),  J⁽ᵗ⁾ = −log ŷ_t[target_t]
//! ```

use super::{validate_cell_spec, Cell, CellKind, CellSpec, GruVariant, Input, Layout, StepCache};
use crate::core::activations::Activation;
use crate::core::error::{CoreError, Result};
use crate::core::real::Real;
use crate::core::rng::Rng;
use serde::{Deserialize, Serialize};

/// Largest hidden size the core accepts (a clear error above it, instead of running out of memory).
pub const MAX_HIDDEN: usize = 2048;
/// Largest input or output vocabulary / input width.
pub const MAX_VOCAB: usize = 100_000;
/// Largest number of stacked layers.
pub const MAX_LAYERS: usize = 4;
/// Largest total number of parameters (about 200 MB of f64).
pub const MAX_PARAMS: usize = 25_000_000;

/// How the first layer reads x_t.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// Token ids; `input_size` is the input vocabulary. Applied as an embedding lookup.
    #[default]
    OneHot,
    /// Dense vectors of width `input_size`.
    Dense,
}

/// Everything that fixes a model's shape. Configs are data: serde with defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ModelSpec {
    /// Cell type. Default `lstm`.
    pub cell: CellKind,
    /// How inputs arrive. Default `onehot`.
    pub input: InputKind,
    /// D: input vocabulary (one-hot) or input width (dense), 1..=100000. Default 65.
    pub input_size: usize,
    /// H: hidden units per layer, 1..=2048. Default 32.
    pub hidden: usize,
    /// Number of stacked layers, 1..=4. Default 1.
    pub layers: usize,
    /// V: output vocabulary (readout rows), 1..=100000. Default 65.
    pub vocab: usize,
    /// Vanilla RNN nonlinearity. Default `tanh`.
    pub activation: Activation,
    /// Residual vanilla RNN (h_t = h_{t−1} + act(…)). Default false.
    pub residual: bool,
    /// GRU convention. Default `lecture`.
    pub gru: GruVariant,
}

impl Default for ModelSpec {
    fn default() -> Self {
        ModelSpec {
            cell: CellKind::Lstm,
            input: InputKind::OneHot,
            input_size: 65,
            hidden: 32,
            layers: 1,
            vocab: 65,
            activation: Activation::Tanh,
            residual: false,
            gru: GruVariant::Lecture,
        }
    }
}

impl ModelSpec {
    /// Checks every size against its range.
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
        range("hidden size", self.hidden, 1, MAX_HIDDEN)?;
        range("input size", self.input_size, 1, MAX_VOCAB)?;
        range("vocabulary size", self.vocab, 1, MAX_VOCAB)?;
        range("layers", self.layers, 1, MAX_LAYERS)?;
        let n = self.param_count();
        if n > MAX_PARAMS {
            return Err(CoreError::invalid(
                "model size",
                format!("{n} parameters is more than the limit of {MAX_PARAMS}"),
            ));
        }
        Ok(())
    }

    /// Total number of scalars (all layers and the readout), computed without building the model.
    pub fn param_count(&self) -> usize {
        let g = self.cell.gates();
        let h = self.hidden;
        let mut n = 0usize;
        for l in 0..self.layers {
            let d = if l == 0 { self.input_size } else { h };
            n = n.saturating_add(
                g.saturating_mul(h)
                    .saturating_mul(d.saturating_add(h).saturating_add(2)),
            );
        }
        n.saturating_add(self.vocab.saturating_mul(h.saturating_add(1)))
    }

    fn cell_spec(&self, layer: usize) -> CellSpec {
        CellSpec {
            kind: self.cell,
            input: if layer == 0 {
                self.input_size
            } else {
                self.hidden
            },
            hidden: self.hidden,
            activation: self.activation,
            residual: self.residual,
            gru: self.gru,
        }
    }
}

/// The softmax readout's place in the flat buffer.
#[derive(Clone, Debug, PartialEq)]
pub struct Readout {
    /// V.
    pub vocab: usize,
    /// H of the top layer.
    pub hidden: usize,
    pub(crate) w: usize,
    pub(crate) b: usize,
}

impl Readout {
    /// U, (V, H).
    pub fn w<'a, F>(&self, p: &'a [F]) -> &'a [F] {
        &p[self.w..self.w + self.vocab * self.hidden]
    }
    /// b_U, (V).
    pub fn b<'a, F>(&self, p: &'a [F]) -> &'a [F] {
        &p[self.b..self.b + self.vocab]
    }
    /// logits = U h + b_U, written into `logits` (V).
    pub fn logits<F: Real>(&self, p: &[F], h: &[F], logits: &mut [F]) {
        logits.copy_from_slice(self.b(p));
        F::gemv_acc(self.w(p), h, logits);
    }
}

/// How weights are initialised.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InitSpec {
    /// Every weight and bias ~ U(−s, s) with s = `scale` / √H (PyTorch's default is scale 1).
    pub scale: f64,
    /// LSTM only: set b_x of the forget gate to this value and b_h of the forget gate to 0
    /// (Jozefowicz et al. 2015 recommend 1). `None` keeps the random value.
    pub forget_bias: Option<f64>,
}

impl Default for InitSpec {
    fn default() -> Self {
        InitSpec {
            scale: 1.0,
            forget_bias: Some(1.0),
        }
    }
}

/// A stacked recurrent model with a softmax readout. All weights are in `params` (see [`Layout`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Model<F> {
    spec: ModelSpec,
    layout: Layout,
    cells: Vec<Cell>,
    readout: Readout,
    /// All weights, flat, in [`Model::layout`] order.
    pub params: Vec<F>,
}

impl<F: Real> Model<F> {
    /// A model with every weight zero (validated spec).
    pub fn zeros(spec: &ModelSpec) -> Result<Self> {
        spec.validate()?;
        let mut layout = Layout::default();
        let cells: Vec<Cell> = (0..spec.layers)
            .map(|l| {
                let cs = spec.cell_spec(l);
                Cell::register(cs, &format!("l{l}."), &mut layout)
            })
            .collect();
        for c in &cells {
            validate_cell_spec(&c.spec)?;
        }
        let w = layout.push("readout.w", &[spec.vocab, spec.hidden]);
        let b = layout.push("readout.b", &[spec.vocab]);
        let readout = Readout {
            vocab: spec.vocab,
            hidden: spec.hidden,
            w,
            b,
        };
        let params = vec![F::zero(); layout.len];
        Ok(Model {
            spec: spec.clone(),
            layout,
            cells,
            readout,
            params,
        })
    }

    /// A model with seeded random weights (see [`InitSpec`]).
    pub fn init(spec: &ModelSpec, init: &InitSpec, seed: u64) -> Result<Self> {
        if !(init.scale.is_finite() && init.scale >= 0.0) {
            return Err(CoreError::invalid(
                "init scale",
                "must be a finite number ≥ 0",
            ));
        }
        let mut m = Self::zeros(spec)?;
        let mut rng = Rng::new(seed);
        let s = init.scale / (spec.hidden as f64).sqrt();
        for p in m.params.iter_mut() {
            *p = F::c(rng.uniform(-s, s));
        }
        if let Some(fb) = init.forget_bias {
            m.set_forget_bias(fb)?;
        }
        Ok(m)
    }

    /// LSTM: sets every layer's forget-gate bias to b_x = `value`, b_h = 0 (no-op for RNN/GRU).
    pub fn set_forget_bias(&mut self, value: f64) -> Result<()> {
        if !value.is_finite() {
            return Err(CoreError::non_finite("forget-gate bias"));
        }
        if self.spec.cell != CellKind::Lstm {
            return Ok(());
        }
        for l in 0..self.spec.layers {
            let bx = self.layout.require(&format!("l{l}.f.b_x"))?.clone();
            let bh = self.layout.require(&format!("l{l}.f.b_h"))?.clone();
            bx.slice_mut(&mut self.params)
                .iter_mut()
                .for_each(|v| *v = F::c(value));
            bh.slice_mut(&mut self.params)
                .iter_mut()
                .for_each(|v| *v = F::zero());
        }
        Ok(())
    }

    /// The shape-fixing spec.
    pub fn spec(&self) -> &ModelSpec {
        &self.spec
    }
    /// Names, offsets and shapes of all tensors.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }
    /// The recurrent layers, bottom first.
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }
    /// The readout.
    pub fn readout(&self) -> &Readout {
        &self.readout
    }

    /// A named tensor's values.
    pub fn tensor(&self, name: &str) -> Result<&[F]> {
        Ok(self.layout.require(name)?.slice(&self.params))
    }

    /// Overwrites a named tensor (length must match; values must be finite).
    pub fn set_tensor(&mut self, name: &str, values: &[F]) -> Result<()> {
        let spec = self.layout.require(name)?.clone();
        if values.len() != spec.len() {
            return Err(CoreError::shape(
                name,
                format!("{:?}", spec.shape),
                format!("[{}]", values.len()),
            ));
        }
        if values.iter().any(|v| !v.is_finite()) {
            return Err(CoreError::non_finite(name));
        }
        spec.slice_mut(&mut self.params).copy_from_slice(values);
        Ok(())
    }

    /// The same model in another float type (f64 → f32 for fast training, f32 → f64 for checks).
    pub fn cast<G: Real>(&self) -> Model<G> {
        Model {
            spec: self.spec.clone(),
            layout: self.layout.clone(),
            cells: self.cells.clone(),
            readout: self.readout.clone(),
            params: self.params.iter().map(|v| G::c(v.f64())).collect(),
        }
    }

    /// True when every weight is finite.
    pub fn is_finite(&self) -> bool {
        self.params.iter().all(|v| v.is_finite())
    }

    /// A zero initial state: per layer h (H) and c (H for LSTM, else empty).
    pub fn zero_state(&self) -> State<F> {
        State {
            h: self
                .cells
                .iter()
                .map(|c| vec![F::zero(); c.hidden()])
                .collect(),
            c: self
                .cells
                .iter()
                .map(|c| vec![F::zero(); if c.has_c() { c.hidden() } else { 0 }])
                .collect(),
        }
    }

    /// One timestep of the whole stack from `state` (the step-first API the "next" button calls):
    /// returns the new state and each layer's cache (gate values, h, c). Validates its inputs.
    pub fn step(&self, x: Input<'_, F>, state: &State<F>) -> Result<(State<F>, Vec<StepCache<F>>)> {
        self.check_state(state)?;
        let first = &self.cells[0];
        first.check_input(&x)?;
        if let Input::Dense(v) = x {
            if v.iter().any(|a| !a.is_finite()) {
                return Err(CoreError::non_finite("input x_t"));
            }
        }
        let mut caches: Vec<StepCache<F>> = Vec::with_capacity(self.cells.len());
        for (l, cell) in self.cells.iter().enumerate() {
            let mut cache = cell.new_cache();
            let input = if l == 0 {
                x
            } else {
                Input::Dense(&caches[l - 1].h)
            };
            cell.step_forward(&self.params, input, &state.h[l], &state.c[l], &mut cache);
            caches.push(cache);
        }
        let next = State {
            h: caches.iter().map(|c| c.h.clone()).collect(),
            c: caches.iter().map(|c| c.c.clone()).collect(),
        };
        Ok((next, caches))
    }

    /// Checks that a state has the shapes of this model and finite values.
    pub fn check_state(&self, s: &State<F>) -> Result<()> {
        if s.h.len() != self.cells.len() || s.c.len() != self.cells.len() {
            return Err(CoreError::shape(
                "state layers",
                self.cells.len(),
                s.h.len(),
            ));
        }
        for (l, cell) in self.cells.iter().enumerate() {
            if s.h[l].len() != cell.hidden() {
                return Err(CoreError::shape(
                    format!("h0 of layer {l}"),
                    cell.hidden(),
                    s.h[l].len(),
                ));
            }
            let want_c = if cell.has_c() { cell.hidden() } else { 0 };
            if s.c[l].len() != want_c {
                return Err(CoreError::shape(
                    format!("c0 of layer {l}"),
                    want_c,
                    s.c[l].len(),
                ));
            }
            if s.h[l].iter().chain(&s.c[l]).any(|v| !v.is_finite()) {
                return Err(CoreError::non_finite(format!("initial state of layer {l}")));
            }
        }
        Ok(())
    }
}

/// The recurrent state of a whole model: per layer h_t and (LSTM) c_t.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct State<F> {
    /// h per layer, each (H).
    pub h: Vec<Vec<F>>,
    /// c per layer, each (H) for LSTM, empty otherwise.
    pub c: Vec<Vec<F>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_names_and_sizes() {
        let spec = ModelSpec {
            cell: CellKind::Lstm,
            input_size: 3,
            hidden: 2,
            vocab: 5,
            ..Default::default()
        };
        let m = Model::<f64>::zeros(&spec).unwrap();
        // 4 gates × (2×3 + 2×2 + 2 + 2) + readout 5×2 + 5 = 4×14 + 15 = 71.
        assert_eq!(m.layout().len, 71);
        assert_eq!(spec.param_count(), 71);
        let names: Vec<&str> = m.layout().tensors.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            &names[..4],
            &["l0.i.w_x", "l0.f.w_x", "l0.o.w_x", "l0.g.w_x"]
        );
        assert_eq!(m.layout().require("l0.f.w_h").unwrap().shape, vec![2, 2]);
        assert_eq!(names.last(), Some(&"readout.b"));
    }

    #[test]
    fn bad_specs_are_clear_errors() {
        let bad = ModelSpec {
            hidden: 0,
            ..Default::default()
        };
        assert!(matches!(
            Model::<f64>::zeros(&bad),
            Err(CoreError::Invalid { .. })
        ));
        let huge = ModelSpec {
            hidden: 2048,
            input_size: 100_000,
            ..Default::default()
        };
        let e = Model::<f32>::zeros(&huge).unwrap_err();
        assert!(e.to_string().contains("parameters"), "{e}");
        let mut m = Model::<f64>::zeros(&ModelSpec::default()).unwrap();
        assert!(m.set_tensor("l0.i.b_x", &[1.0]).is_err());
        assert!(m.set_tensor("nope", &[1.0]).is_err());
        let h = m.spec().hidden;
        assert!(matches!(
            m.set_tensor("l0.i.b_x", &vec![f64::NAN; h]),
            Err(CoreError::NonFinite { .. })
        ));
    }

    #[test]
    fn seeded_init_is_reproducible_and_forget_bias_applies() {
        let spec = ModelSpec {
            hidden: 4,
            input_size: 3,
            vocab: 3,
            ..Default::default()
        };
        let a = Model::<f64>::init(&spec, &InitSpec::default(), 9).unwrap();
        let b = Model::<f64>::init(&spec, &InitSpec::default(), 9).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.tensor("l0.f.b_x").unwrap(), &[1.0; 4]);
        assert_eq!(a.tensor("l0.f.b_h").unwrap(), &[0.0; 4]);
        // Everything else is U(−1/√H, 1/√H) = U(−1/2, 1/2).
        let fb = a.layout().require("l0.f.b_x").unwrap().clone();
        let others = a
            .params
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < fb.offset || *i >= fb.offset + fb.len());
        assert!(others.map(|(_, v)| v.abs()).all(|v| v <= 0.5));
    }
}
