// Package gene merges one batch of gene-expression arrays into another in a latent space, the
// third experiment of the Lipschitz-regularized gradient flows paper, and measures the result in
// the original probe space against the standard corrections.
//
// # The merge
//
// Source rows x^s_i and target rows x^t_j (log2 expression over P probes, with class labels)
// are pooled and a PCA of dimension d' is fitted on them (see PCA): encode(x) = V^T (x - mean),
// decode(z) = mean + V z. Class-conditional GPA (package flow, one discriminator head per
// class) moves the particles z_i, started at encode(x^s_i), towards the targets encode(x^t_j),
// each particle under its own class's head; the merged source is decode(z_i), all P probes.
//
// # The baselines
//
//   - none: the source as it is;
//   - standardisation: per class and probe, the source's mean and standard deviation replaced by
//     the target's (Standardise);
//   - ComBat: the location/scale model with class covariates and parametric empirical-Bayes
//     shrinkage, the target as reference batch (ComBat);
//   - the floor: decode(encode(x^t_j)) against x^t_j, the distance left if the merge put every
//     latent code exactly on the target's: what the latent map itself costs.
//
// # The figures
//
// Each version of the source is measured against the target in probe space (Distance): the
// unbiased MMD^2 with the Gaussian kernel exp(-|a-b|^2/(2h^2)), h the median distance between two
// target samples; the entropic optimal-transport cost <pi, C>, C_ij = |x_i - y_j|^2, at relative
// epsilon 0.01 (epsilon = 0.01 mean C), over the whole samples; and, class by class, the paper's
// figure: the debiased Sinkhorn divergence S_eps = OT_eps(a,b) - OT_eps(a,a)/2 - OT_eps(b,b)/2 with
// the cost |x-y|^2/2 and geomloss's defaults (blur 0.05, scaling 0.5), as the reference code's
// SamplesLoss('sinkhorn', p=2) computes it on each class's samples. All only need the pairwise
// distances, so the points are first mapped isometrically into their own span (Isometric),
// n+m-1 dimensions instead of 22,283; the divergence's starting diameter, which geomloss takes
// from the coordinates' bounding box, is taken in probe space.
//
// # Data
//
// The compact file format (Read, Write) holds one data set: probe ids, sample ids, batches
// and classes in a JSON header, and the values quantised per probe to uint16 with a stored
// offset and scale.
package gene
