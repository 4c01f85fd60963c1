// lipflow's presets: the paper's reference settings (docs/science.md#presets: the configurations of the
// public TensorFlow code of Gu, Birmpa, Pantazis, Katsoulakis and Rey-Bellet, and where lipflow
// deviates from them) and a few 2D shapes. Each preset is the settings that differ from
// flow.Defaults() (the heavy-tail experiment with alpha = 2), the extra runs of a comparison
// (overrides of the base settings) and view options.
'use strict';
(function () {
  const heavy = {
    source: 'gaussian(mean=10;10)', target: 'student-t(nu=0.5)', dim: 2, L: 1, lipschitz: 'frobenius',
    n: 200, m: 200, width: 32, depth: 3, activation: 'relu', inner: 5, lr: 0.01, optimizer: 'sgd',
    dt: 0.1, integrator: 'euler', steps: 5000,
  };
  // configs/Learning_gaussian-GPA_NN.yaml of the reference code (whose Adam starts afresh at
  // every particle step: adam_reset).
  const gauss = {
    source: 'gaussian(mean=10;10,sd=0.5)', target: 'gaussian', f: 'kl-dv', n: 200, m: 200,
    lr: 0.05, optimizer: 'adam', adam_reset: true, inner: 3, dt: 1, steps: 500,
  };
  // configs/Mixture_of_gaussians-GPA_NN.yaml (there L = inf; the paper's figure also shows 1, 10, 100).
  const wells = {
    source: 'gaussian(sd=0.5)', target: 'four-gaussians', f: 'kl-dv', n: 200, m: 200,
    lr: 0.001, optimizer: 'adam', adam_reset: true, inner: 3, dt: 0.5, steps: 500,
  };
  // The reference's Stretched_exponential: the product law exp(-sum |x_i|^0.4) (drawn exactly
  // here; the reference draws it by Langevin steps, which reach far less into the tails).
  const stretched = {
    source: 'gaussian(mean=10;10)', target: 'stretched-exp(beta=0.4,form=product)', L: 1, n: 200, m: 200,
    lr: 0.05, optimizer: 'sgd', inner: 5, dt: 1, steps: 5000,
  };
  // The shapes: from N(0, I), KL-DV, L = 1, Adam; the energy distance reaches its noise floor
  // in 100-200 steps (checked natively with these seeds).
  const shape = (target) => ({
    source: 'gaussian', target, f: 'kl-dv', L: 1, n: 500, m: 500, lr: 0.005, optimizer: 'adam',
    inner: 5, dt: 0.1, steps: 400,
  });
  const paper = 'The paper: ';
  window.LIPFLOW_PRESETS = [
    { id: 'heavy-tails-kl-dv', group: 'Heavy tails', title: 'heavy tails: KL-DV',
      help: paper + 'N((10,10), I) to a Student-t(0.5) in 2D with the KL divergence (Donsker-Varadhan form). The reference reports that KL becomes numerically unstable on heavy tails.',
      settings: { ...heavy, f: 'kl-dv' }, view: { log: true } },
    { id: 'heavy-tails-alpha2', group: 'Heavy tails', title: 'heavy tails: α = 2',
      help: paper + 'the same flow with the alpha-divergence, alpha = 2: stable, but the speed limit L makes the particles reach into the tails slowly.',
      settings: { ...heavy, f: 'alpha', alpha: 2 }, view: { log: true } },
    { id: 'heavy-tails-alpha10', group: 'Heavy tails', title: 'heavy tails: α = 10',
      help: paper + 'the same flow with alpha = 10.',
      settings: { ...heavy, f: 'alpha', alpha: 10 }, view: { log: true } },
    { id: 'heavy-tails-compare', group: 'Heavy tails', title: 'heavy tails: compare KL-DV, α = 2, α = 10',
      help: paper + 'the three divergences side by side on the same data and seed (the paper\'s heavy-tail figure).',
      settings: { ...heavy, f: 'kl-dv' }, runs: [{ f: 'alpha', alpha: 2 }, { f: 'alpha', alpha: 10 }], view: { log: true, charts: true } },

    { id: 'gaussian-L1', group: '2D Gaussian', title: 'Gaussian: L = 1',
      help: paper + 'N((10,10), 0.25 I) to N(0, I) with KL-DV and L = 1 (Adam, 3 inner steps, as the reference code): the particles travel at speed at most 1.',
      settings: { ...gauss, L: 1 } },
    { id: 'gaussian-L10', group: '2D Gaussian', title: 'Gaussian: L = 10',
      help: 'The same with L = 10 (not among the reference code\'s configurations): faster, with a larger step per move.',
      settings: { ...gauss, L: 10 } },
    { id: 'gaussian-compare', group: '2D Gaussian', title: 'Gaussian: compare L = 1, 10',
      help: paper + 'L = 1 and L = 10 side by side.',
      settings: { ...gauss, L: 1 }, runs: [{ L: 10 }], view: { charts: true } },

    { id: 'four-wells-L1', group: 'Four wells', title: 'four wells: L = 1',
      help: paper + 'from N(0, 0.25 I), on one of the wells, to four Gaussians at (0,0), (0,4), (4,0), (4,4) with sd 0.5; KL-DV, Adam, dt 0.5, as the reference code, here with L = 1.',
      settings: { ...wells, L: 1 } },
    { id: 'four-wells-L10', group: 'Four wells', title: 'four wells: L = 10',
      help: paper + 'four wells with L = 10.', settings: { ...wells, L: 10 } },
    { id: 'four-wells-L100', group: 'Four wells', title: 'four wells: L = 100',
      help: paper + 'four wells with L = 100.', settings: { ...wells, L: 100 } },
    { id: 'four-wells-Linf', group: 'Four wells', title: 'four wells: L = ∞',
      help: paper + 'four wells with no Lipschitz constraint, the reference code\'s own configuration: nothing bounds the particles\' speed.',
      settings: { ...wells, L: 'inf' } },
    { id: 'four-wells-compare', group: 'Four wells', title: 'four wells: compare L = 1, 10, ∞',
      help: paper + 'L = 1, 10 and no constraint side by side (L = 100 is its own preset).',
      settings: { ...wells, L: 1 }, runs: [{ L: 10 }, { L: 'inf' }], view: { charts: true } },

    { id: 'stretched-exp-kl-dv', group: 'Stretched exponential', title: 'stretched exp. β = 0.4: KL-DV',
      help: paper + 'N((10,10), I) to the density exp(-|x_1|^0.4 - |x_2|^0.4) (independent coordinates, as the reference code), heavy-tailed but not Student-t, with KL-DV.',
      settings: { ...stretched, f: 'kl-dv' }, view: { log: true } },
    { id: 'stretched-exp-alpha2', group: 'Stretched exponential', title: 'stretched exp. β = 0.4: α = 2',
      help: paper + 'the stretched exponential with alpha = 2.',
      settings: { ...stretched, f: 'alpha', alpha: 2 }, view: { log: true } },
    { id: 'stretched-exp-compare', group: 'Stretched exponential', title: 'stretched exp.: compare KL-DV, α = 2',
      help: paper + 'KL-DV and alpha = 2 side by side.',
      settings: { ...stretched, f: 'kl-dv' }, runs: [{ f: 'alpha', alpha: 2 }], view: { log: true, charts: true } },

    // GPA against the particle flows it is measured against (flow.ParticleFlow; docs/peers.md):
    // the same targets, start and seed, each with the step size at which it did best in 500
    // steps among a few tried natively (docs/peers.md#step-sizes).
    { id: 'heavy-tails-peers', group: 'GPA and its peers', title: 'heavy tails: GPA α = 2 vs SVGD vs MMD flow',
      help: 'The heavy-tail experiment run by GPA (alpha = 2, L = 1), Stein variational gradient descent (closed-form Student-t score, RBF kernel with the median heuristic) and the MMD gradient flow (Gaussian kernel, sigma = 1), on the same data and seed.',
      settings: { ...heavy, f: 'alpha', alpha: 2 }, runs: [{ method: 'svgd', dt: 2 }, { method: 'mmd', dt: 10 }], view: { log: true, charts: true } },
    { id: 'heavy-tails-langevin', group: 'GPA and its peers', title: 'heavy tails: GPA α = 2 vs Langevin',
      help: 'GPA against unadjusted Langevin dynamics, the particle version of the KL gradient flow that GPA\'s (KL, Lip_L) flow approaches as L grows; Langevin follows the Student-t\'s closed-form score.',
      settings: { ...heavy, f: 'alpha', alpha: 2 }, runs: [{ method: 'langevin', dt: 0.1 }], view: { log: true, charts: true } },
    { id: 'four-wells-peers', group: 'GPA and its peers', title: 'four wells: GPA vs SVGD vs MMD flow',
      help: 'Mode coverage: from one well to four. GPA (KL-DV, L = 1), SVGD (closed-form mixture score) and the MMD flow on the same data.',
      settings: { ...wells, L: 1 }, runs: [{ method: 'svgd', dt: 2 }, { method: 'mmd', dt: 10 }], view: { charts: true } },
    { id: 'moons-peers', group: 'GPA and its peers', title: 'two moons: GPA vs MMD flow vs Sinkhorn flow',
      help: 'The methods that need only the target samples (no score): GPA, the MMD flow and the Sinkhorn flow (epsilon = 0.1), with N = M = 200 (the Sinkhorn flow costs O(N M) per iteration).',
      settings: { ...shape('moons'), n: 200, m: 200 }, runs: [{ method: 'mmd', dt: 1 }, { method: 'sinkhorn', dt: 0.5 }], view: { charts: true } },

    { id: 'swiss-roll', group: 'Shapes', title: 'Swiss roll',
      help: 'From N(0, I) to a Swiss roll: KL-DV, L = 1, Adam; converges in about 150 steps.', settings: shape('swiss-roll') },
    { id: 'moons', group: 'Shapes', title: 'two moons',
      help: 'From N(0, I) to two moons: KL-DV, L = 1, Adam.', settings: shape('moons') },
    { id: 'spiral', group: 'Shapes', title: 'spiral',
      help: 'From N(0, I) to a two-armed spiral: KL-DV, L = 1, Adam.', settings: shape('spiral') },
    { id: 'sierpinski', group: 'Shapes', title: 'Sierpinski carpet',
      help: 'From N(0, I) to the Sierpinski carpet (level 4): KL-DV, L = 1, Adam.', settings: shape('sierpinski') },
    { id: 'checkerboard', group: 'Shapes', title: 'checkerboard',
      help: 'From N(0, I) to a 4 x 4 checkerboard: KL-DV, L = 1, Adam.', settings: shape('checkerboard') },
  ];
})();
