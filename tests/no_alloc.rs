//! "Training hot loops allocate nothing per step": a counting global allocator shows that, once the
//! buffers exist, `Trainer::step` (forward, BPTT, clipping, optimiser) and text generation make no
//! heap allocation at all, for every cell type, one and two layers, full and truncated BPTT, and
//! scheduled sampling.

use rnn_lab::core::rng::Rng;
use rnn_lab::core::rnn::CellKind;
use rnn_lab::core::train::optim::OptimizerKind;
use rnn_lab::core::train::sample::{Decode, Generator};
use rnn_lab::core::train::trainer::{TrainConfig, Trainer};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn training_steps_and_generation_allocate_nothing() {
    let data: Vec<usize> = (0..500).map(|i| (i * 7 + i / 3) % 11).collect();
    for cell in [CellKind::Rnn, CellKind::Lstm, CellKind::Gru] {
        for (layers, window, tf, opt) in [
            (1, 0, 1.0, OptimizerKind::RmsProp),
            (2, 4, 0.5, OptimizerKind::Adam),
            (1, 0, 1.0, OptimizerKind::Sgd),
        ] {
            let cfg = TrainConfig {
                cell,
                hidden: 12,
                layers,
                seq_len: 10,
                bptt_window: window,
                teacher_forcing: tf,
                optimizer: opt,
                checkpoint_every: 5,
                ..Default::default()
            };
            let mut tr = Trainer::<f32>::new(cfg, 11, data.clone(), vec![]).unwrap();
            tr.step().unwrap(); // first step: buffers are made here (the first checkpoint at construction); later checkpoints (every 5 steps) reuse it
            let before = ALLOCS.load(Ordering::SeqCst);
            for _ in 0..20 {
                assert!(tr.step().unwrap().finite);
            }
            let n = ALLOCS.load(Ordering::SeqCst) - before;
            assert_eq!(
                n, 0,
                "{cell:?} layers={layers} window={window} tf={tf}: {n} allocations in 20 steps"
            );
            let mut g = Generator::new(&tr.model);
            let mut rng = Rng::new(3);
            g.feed(&tr.model, 1).unwrap();
            let before = ALLOCS.load(Ordering::SeqCst);
            for _ in 0..50 {
                let id = g
                    .choose(Decode::Sample { temperature: 0.9 }, &mut rng)
                    .unwrap();
                g.feed(&tr.model, id).unwrap();
            }
            assert_eq!(
                ALLOCS.load(Ordering::SeqCst) - before,
                0,
                "{cell:?}: generation allocated"
            );
        }
    }
}
