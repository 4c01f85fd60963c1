// Package dense is a small dense network with vector outputs, for the digits experiment's
// encoder, decoder, classifier and GAN generator (flow.Net is the scalar discriminator).
//
// Layer l maps h_{l-1} to z_l = h_{l-1} W_l + b_l; hidden layers apply ReLU, h_l = max(z_l, 0);
// the last layer is linear, so the network returns logits and the losses (BCEWithLogits,
// SoftmaxCE) apply the sigmoid or the softmax themselves, where it is cheap and stable.
// Backward propagates d loss / d logits back to the weights (accumulated in Grad) and to the
// input (a vector-Jacobian product, as the decoder-mobility flow needs). Adam updates Params.
//
// The products run on the engine's kernels (flow.GemmNN, flow.GemmTN: SIMD for float32 in the
// site's build); the type parameter lets the tests check every gradient in float64.
package dense
