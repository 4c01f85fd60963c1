// Package digits is the conditional MNIST experiment: from M = 10 * per_class training digits
// (20 per class: M = 200), generate new digits of each requested class.
//
// A trained autoencoder (package ae) gives a latent space. Its codes are standardised,
// z' = (E(x) - mu) / sd per coordinate (mu, sd over training digits), so that the particles'
// source, i.i.d. Gaussian or Logistic(0,1) noise, has the scale of the targets. The methods:
//
//   - latent GPA (mobility "latent"): the (f, Lip_L) generative particles flow of package flow
//     on the codes z', targets E(X), class-conditional discriminator (one head per digit);
//     particles are decoded, D(mu + sd z'), for display and scores;
//   - decoder mobility ("decoder"): phi lives in pixel space and sees D(Z); the particles stay
//     in latent space and move by dZ = -dt J^T grad phi(D(Z)), J the Jacobian of
//     z' -> D(mu + sd z') (see flow.Mobility);
//   - the (f_KL, Lip_1)-GAN: a generator network G(noise, class) -> z' trained against the same
//     kind of discriminator as GPA's, by descending mean phi(G(w));
//   - WGAN-GP: a generator against a critic with the two-sided gradient penalty
//     lambda * mean (|grad phi(x^)| - 1)^2 at interpolates x^ between samples and targets.
//
// Scores (Scores): agreement = share of decoded samples that a classifier, trained on held-out
// digits only, assigns to the requested class; nn_distance = mean pixel-space L2 distance from
// each sample to its nearest training target; nn_train_distance = the same for real held-out
// digits, the reference for "a new digit, not a copy" (a sample much closer than that is a copy).
package digits
