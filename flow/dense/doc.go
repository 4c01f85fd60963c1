// Package dense holds what the digits experiment's vector-valued networks (flow.Net built by
// flow.NewLayers: the encoder, decoder, classifier and GAN generator) need beyond the network
// itself: the losses, and an Adam step that refreshes the transposed weights.
//
// The networks return logits, so the losses (BCEWithLogits, SoftmaxCE) apply the sigmoid or
// the softmax themselves, where it is cheap and stable. flow.Net.BackwardLogits takes the
// losses' gradients back to the weights and to the input (a vector-Jacobian product, as the
// decoder-mobility flow needs). The type parameter lets the tests check every gradient in
// float64.
package dense
