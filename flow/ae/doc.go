// Package ae is the digits experiment's autoencoder: a dense encoder E: [0,1]^784 -> R^latent
// and decoder D: R^latent -> [0,1]^784 (ReLU hidden layers of Width units, Depth of them on
// each side; the decoder's output is sigmoid(logits)), trained with Adam on mini-batches to
// minimise the binary cross-entropy
//
//	loss(x) = -sum_j x_j log D(E(x))_j + (1 - x_j) log(1 - D(E(x))_j)     (nats per digit)
//
// one mini-batch at a time (Trainer.Step), so that a browser worker can train it in slices
// and cancel or resume. Its weights travel as JSON (Export, Import), validated on the way in.
package ae
