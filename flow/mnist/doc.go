// Package mnist reads and writes the compact digit files of assets/mnist/data/: a gzip stream
// holding
//
//	magic   8 bytes  "LFDIGIT1"
//	count   uint32   little-endian, number of digits (1..MaxCount)
//	rows    uint16   28
//	cols    uint16   28
//	labels  count bytes, each 0..9
//	pixels  count*rows*cols bytes, grey levels 0..255, row-major, one digit after the other
//
// The reader refuses a wrong magic, sizes other than 28 x 28, a count out of range, labels
// above 9, truncated data, trailing bytes and a stream larger than its byte limit, with an
// error that names what is wrong.
package mnist
